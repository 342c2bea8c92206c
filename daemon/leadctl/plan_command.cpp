// leadctl plan: the due and send times of SPEC §7 from the configuration
// alone, so anyone can check the rules. Input times take any ISO 8601
// offset or Z; without one they are the dealer's local time.
#include "command.hpp"
#include "core/escalation_plan.hpp"
#include "views/json_views.hpp"

#include <ostream>

namespace lr::ctl {

namespace {

int run_plan(Context& ctx) {
    auto received = ctx.args.value("received");
    auto resubmission = ctx.args.value("resubmission");
    if (!ctx.args.positional.empty() || received.has_value() == resubmission.has_value()) {
        ctx.err << "usage: leadctl plan --dealer D (--received ISO8601 | --resubmission "
                   "ISO8601)\n";
        return exit_usage;
    }
    auto session = ctx.open_dealer(false);
    if (!session)
        return exit_failure;
    const core::Dealer* dealer = session->dealer;
    const std::string& text = received ? *received : *resubmission;
    auto instant = core::parse_iso8601(text, dealer->timezone);
    if (!instant) {
        ctx.err << "leadctl plan: \"" << text
                << "\" is not an ISO 8601 time (2026-12-23T09:30, 2026-12-23T09:30:00+01:00 or "
                   "…Z)\n";
        return exit_usage;
    }
    core::BusinessCalendar calendar(*dealer);
    if (received) {
        auto plan = core::plan_received(*dealer, calendar, *instant);
        if (!plan) {
            ctx.err << "leadctl plan: " << plan.error().message << "\n";
            return exit_failure;
        }
        ctx.out << json_text(views::plan_json(*plan, dealer->timezone), 1) << "\n";
    } else {
        auto plan = core::plan_resubmission(*dealer, calendar, *instant);
        if (!plan) {
            ctx.err << "leadctl plan: " << plan.error().message << "\n";
            return exit_failure;
        }
        ctx.out << json_text(views::plan_json(*plan, dealer->timezone), 1) << "\n";
    }
    return exit_ok;
}

} // namespace

Command plan_command() {
    return {"plan",
            "print a lead's reminder and escalation times from the configuration alone",
            "--dealer D (--received ISO8601 | --resubmission ISO8601)",
            {{"dealer", true, "dealer id (Kürzel)", "D"},
             {"received", true, "when the lead arrived", "ISO8601"},
             {"resubmission", true, "a resubmission (Wiedervorlage) time instead", "ISO8601"}},
            run_plan};
}

} // namespace lr::ctl
