// leadctl absence set|clear|list: absences are runtime data (SPEC §6).
// Times are ISO 8601; without an offset they are the dealer's local time.
// A date alone as TO means the whole day: the absence ends at the next
// midnight.
#include "command.hpp"
#include "store/absence_store.hpp"
#include "util/strings.hpp"
#include "util/table.hpp"
#include "views/json_views.hpp"

#include <ostream>

namespace lr::ctl {

namespace {

std::optional<core::Instant> parse_bound(const std::string& text, const core::Dealer& dealer,
                                         bool is_end) {
    auto instant = core::parse_iso8601(text, dealer.timezone);
    if (instant && is_end && text.size() == 10) {
        // The day after, at local midnight.
        auto day = core::parse_date(text);
        auto next = date::local_days{*day} + date::days{1};
        return core::local_to_instant(core::LocalTime{next}, dealer.timezone);
    }
    return instant;
}

int run_absence(Context& ctx) {
    const auto& positional = ctx.args.positional;
    const std::string action = positional.empty() ? "" : positional[0];
    const bool valid = (action == "set" && positional.size() == 4) ||
                       (action == "clear" && positional.size() == 2) ||
                       (action == "list" && positional.size() == 1);
    if (!valid) {
        ctx.err << "usage: leadctl absence set USER FROM TO --dealer D [--note TEXT]\n"
                   "       leadctl absence clear USER --dealer D\n"
                   "       leadctl absence list --dealer D\n";
        return exit_usage;
    }
    auto config = ctx.load_config();
    if (!config)
        return exit_failure;
    const core::Dealer* dealer = ctx.require_dealer(*config);
    if (!dealer)
        return exit_failure;
    if (action != "list" && !dealer->find_user(positional[1])) {
        ctx.err << "leadctl absence: dealer " << dealer->id << " has no user \"" << positional[1]
                << "\"\n";
        return exit_failure;
    }
    auto connection = ctx.open_database(config.get());
    if (!connection)
        return exit_failure;

    if (action == "set") {
        auto from = parse_bound(positional[2], *dealer, false);
        auto to = parse_bound(positional[3], *dealer, true);
        if (!from || !to) {
            ctx.err << "leadctl absence set: \"" << (!from ? positional[2] : positional[3])
                    << "\" is not an ISO 8601 date or time (2026-12-23 or 2026-12-23T09:30)\n";
            return exit_usage;
        }
        auto id = store::add_absence(*connection, dealer->id, positional[1], *from, *to,
                                     ctx.args.value("note").value_or(""));
        if (!id) {
            ctx.err << "leadctl absence set: " << id.error().message << "\n";
            return exit_failure;
        }
        ctx.out << positional[1] << " is absent from "
                << core::format_iso8601(*from, dealer->timezone) << " to "
                << core::format_iso8601(*to, dealer->timezone) << " (absence " << *id << ")\n";
        return exit_ok;
    }
    if (action == "clear") {
        auto cleared = store::clear_absences(*connection, dealer->id, positional[1], ctx.now());
        if (!cleared) {
            ctx.err << "leadctl absence clear: " << cleared.error().message << "\n";
            return exit_failure;
        }
        ctx.out << positional[1] << ": " << *cleared << " absence(s) ended or removed\n";
        return exit_ok;
    }
    auto absences = store::list_absences(*connection, dealer->id, ctx.now());
    if (!absences) {
        ctx.err << "leadctl absence list: " << absences.error().message << "\n";
        return exit_failure;
    }
    std::vector<std::vector<std::string>> rows;
    Json items = Json::array();
    for (const auto& absence : *absences) {
        auto from = core::format_iso8601(absence.starts_at, dealer->timezone);
        auto to = core::format_iso8601(absence.ends_at, dealer->timezone);
        bool now = absence.starts_at <= ctx.now();
        rows.push_back({std::to_string(absence.id), absence.user_id, from, to, now ? "yes" : "no",
                        absence.note});
        items.push_back(views::absence_json(absence, dealer->timezone, ctx.now()));
    }
    if (ctx.json())
        ctx.out << json_text(items) << "\n";
    else
        ctx.out << util::render_table({"ID", "USER", "FROM", "TO", "NOW", "NOTE"}, rows);
    return exit_ok;
}

} // namespace

Command absence_command() {
    return {"absence",
            "set, clear or list absences (absent users get no leads)",
            "set USER FROM TO | clear USER | list  --dealer D",
            {{"dealer", true, "dealer id (Kürzel)", "D"},
             {"note", true, "why, for the list", "TEXT"},
             {"database", true, "libpq conninfo (default: system.database)", "CONNINFO"},
             {"json", false, "list as JSON"}},
            run_absence};
}

} // namespace lr::ctl
