// leadctl report: how fast a dealer's team answers (issue #18). Leads
// received between two local dates (both included), their reaction times
// in business time and on the wall clock, the chase's mails, the pool,
// resubmissions and unassignable mail; optionally per user, source,
// location or kind. Definitions: README, "Reports".
#include "command.hpp"
#include "core/local_time.hpp"
#include "report/report_data.hpp"
#include "report/report_output.hpp"

#include <ostream>

namespace lr::ctl {

namespace {

int run_report(Context& ctx) {
    auto from_text = ctx.args.value("from");
    auto to_text = ctx.args.value("to");
    if (!ctx.args.positional.empty() || !from_text || !to_text) {
        ctx.err << "usage: leadctl report --dealer D --from YYYY-MM-DD --to YYYY-MM-DD "
                   "[--by user|source|location|kind] [--format table|csv|json]\n";
        return exit_usage;
    }
    auto from = core::parse_date(*from_text);
    auto to = core::parse_date(*to_text);
    if (!from || !to) {
        ctx.err << "leadctl report: --from and --to take dates like 2026-11-30\n";
        return exit_usage;
    }
    if (date::sys_days(*to) < date::sys_days(*from)) {
        ctx.err << "leadctl report: --to " << *to_text << " is before --from " << *from_text
                << "\n";
        return exit_usage;
    }
    auto by = report::Dimension::none;
    if (auto name = ctx.args.value("by")) {
        auto named = report::dimension_named(*name);
        if (!named) {
            ctx.err << "leadctl report: --by takes user, source, location or kind, not \"" << *name
                    << "\"\n";
            return exit_usage;
        }
        by = *named;
    }
    auto format = ctx.json() ? report::Format::json : report::Format::table;
    if (auto name = ctx.args.value("format")) {
        auto named = report::format_named(*name);
        if (!named) {
            ctx.err << "leadctl report: --format takes table, csv or json, not \"" << *name
                    << "\"\n";
            return exit_usage;
        }
        format = *named;
    }
    auto session = ctx.open_dealer(true);
    if (!session)
        return exit_failure;
    auto loaded = report::load_report(*session->connection, *session->dealer,
                                      date::local_days(date::sys_days(*from).time_since_epoch()),
                                      date::local_days(date::sys_days(*to).time_since_epoch()), by);
    if (!loaded) {
        ctx.err << "leadctl report: " << loaded.error().message << "\n";
        return exit_failure;
    }
    ctx.out << report::render_report(*loaded, format);
    return exit_ok;
}

} // namespace

Command report_command() {
    return {"report",
            "reaction times, answered and open leads, escalations: the response-time report",
            "--dealer D --from DATE --to DATE [--by user|source|location|kind] [--format "
            "table|csv|json]",
            {{"dealer", true, "dealer id (Kürzel)", "D"},
             {"from", true, "first local date of the period", "YYYY-MM-DD"},
             {"to", true, "last local date of the period (included)", "YYYY-MM-DD"},
             {"by", true, "one column per user, source, location or kind", "DIMENSION"},
             {"format", true, "table (default), csv or json", "FORMAT"},
             {"json", false, "the same as --format json"},
             {"database", true, "libpq conninfo (default: system.database)", "CONNINFO"}},
            run_report};
}

} // namespace lr::ctl
