// leadctl dealer retire D [--yes]: the explicit end of a dealer (issue #13).
// A dealer missing from the configuration keeps its work waiting; only
// this command ends it, and it first says what it will do.
#include "command.hpp"
#include "store/dealer_store.hpp"

#include <ostream>

namespace lr::ctl {

namespace {

void describe(std::ostream& out, const store::DealerWork& work, bool done) {
    out << (done ? "closed " : "  close ") << work.new_leads
        << " new lead(s) that were never assigned\n"
        << (done ? "cancelled " : "  cancel ") << work.pending_events
        << " pending reminder(s), escalation(s) and notice(s)\n"
        << (done ? "failed " : "  fail ") << work.queued_mails
        << " queued mail(s) (last error: dealer retired)\n";
}

int run_dealer(Context& ctx) {
    const auto& positional = ctx.args.positional;
    if (positional.size() != 2 || positional[0] != "retire") {
        ctx.err << "usage: leadctl dealer retire DEALER [--yes]\n";
        return exit_usage;
    }
    const std::string& dealer_id = positional[1];
    auto config = ctx.load_config();
    if (!config)
        return exit_failure;
    if (config->find_dealer(dealer_id)) {
        ctx.err << "leadctl dealer retire: dealer " << dealer_id << " is still configured in "
                << ctx.config_path() << "; remove it from the configuration first\n";
        return exit_failure;
    }
    auto connection = ctx.open_database(config.get());
    if (!connection)
        return exit_failure;
    if (!ctx.args.has("yes")) {
        auto work = store::dealer_work(*connection, dealer_id);
        if (!work) {
            ctx.err << "leadctl: " << work.error().message << "\n";
            return exit_failure;
        }
        ctx.out << "retiring dealer " << dealer_id << " will:\n";
        describe(ctx.out, *work, false);
        ctx.out << "and keep its " << work->open_leads
                << " assigned lead(s), messages and audit trail as history.\n"
                   "Nothing was changed; run again with --yes to retire it.\n";
        return exit_ok;
    }
    auto done = store::retire_dealer(*connection, dealer_id, ctx.now());
    if (!done) {
        ctx.err << "leadctl: " << done.error().message << "\n";
        return exit_failure;
    }
    ctx.out << "dealer " << dealer_id << " retired:\n";
    describe(ctx.out, *done, true);
    return exit_ok;
}

} // namespace

Command dealer_command() {
    return {"dealer",
            "retire a dealer that is no longer configured (its waiting work ends)",
            "retire DEALER [--yes]",
            {{"yes", false, "do it (without: only say what it would do)"},
             {"database", true, "libpq conninfo (default: system.database)", "CONNINFO"}},
            run_dealer};
}

} // namespace lr::ctl
