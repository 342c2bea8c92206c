// leadctl leads --dealer D [--open]: the lead list with the seed's three
// colours (ok / soon / overdue); leadctl why --lead L: the audit trail.
#include "command.hpp"
#include "store/lead_actions.hpp"
#include "store/lead_views.hpp"
#include "util/strings.hpp"
#include "util/table.hpp"
#include "views/json_views.hpp"

#include <ostream>

namespace lr::ctl {

namespace {

// "2026-12-23 09:30", the dealer's local time.
std::string local_minutes(core::Instant instant, const core::Dealer& dealer) {
    auto text = core::format_iso8601(instant, dealer.timezone).substr(0, 16);
    text[10] = ' ';
    return text;
}

int run_leads(Context& ctx) {
    if (!ctx.args.positional.empty()) {
        ctx.err << "leadctl leads: unexpected argument \"" << ctx.args.positional.front() << "\"\n";
        return exit_usage;
    }
    int limit = 200;
    try {
        limit = std::stoi(ctx.args.value("limit").value_or("200"));
    } catch (const std::exception&) {
        limit = -1;
    }
    if (limit < 1) {
        ctx.err << "leadctl leads: --limit takes a positive number\n";
        return exit_usage;
    }
    auto session = ctx.open_dealer(true);
    if (!session)
        return exit_failure;
    const core::Dealer* dealer = session->dealer;
    auto& connection = session->connection;
    auto leads = store::list_leads(*connection, dealer->id, ctx.args.has("open"), limit, ctx.now());
    if (!leads) {
        ctx.err << "leadctl leads: " << leads.error().message << "\n";
        return exit_failure;
    }
    if (ctx.json()) {
        Json items = Json::array();
        for (const auto& lead : *leads)
            items.push_back(views::lead_row_json(lead, dealer->timezone));
        ctx.out << json_text(items) << "\n";
        return exit_ok;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& lead : *leads)
        rows.push_back({std::to_string(lead.id), local_minutes(lead.received_at, *dealer),
                        lead.kind, lead.source, lead.contact, lead.assignee.value_or("-"),
                        lead.state, lead.rule.value_or("-"), store::to_string(lead.due)});
    ctx.out << util::render_table(
        {"ID", "RECEIVED", "KIND", "SOURCE", "CONTACT", "ASSIGNEE", "STATE", "RULE", "DUE"}, rows);
    return exit_ok;
}

int run_why(Context& ctx) {
    auto text = ctx.args.value("lead");
    long long lead_id = 0;
    try {
        lead_id = text ? std::stoll(*text) : 0;
    } catch (const std::exception&) {
    }
    if (lead_id <= 0 || !ctx.args.positional.empty()) {
        ctx.err << "usage: leadctl why --lead ID\n";
        return exit_usage;
    }
    auto session = ctx.open_session();
    if (!session)
        return exit_failure;
    auto& config = session->config;
    auto& connection = session->connection;
    auto lead = store::find_lead(*connection, lead_id);
    if (!lead) {
        ctx.err << "leadctl why: " << lead.error().message << "\n";
        return exit_failure;
    }
    auto trail = store::lead_audit(*connection, lead_id);
    auto actions = store::lead_action_trail(*connection, lead_id);
    if (!actions) {
        ctx.err << "leadctl why: " << actions.error().message << "\n";
        return exit_failure;
    }
    if (!trail) {
        ctx.err << "leadctl why: " << trail.error().message << "\n";
        return exit_failure;
    }
    const core::Dealer* dealer = config->find_dealer(lead->dealer_id);
    const date::time_zone* zone = dealer ? dealer->timezone : date::locate_zone("UTC");
    if (ctx.json()) {
        ctx.out << json_text(Json{{"lead", lead_id},
                                  {"dealer", lead->dealer_id},
                                  {"state", lead->state},
                                  {"trail", views::audit_json(*trail, zone)},
                                  {"actions", views::actions_json(*actions, zone)}})
                << "\n";
        return exit_ok;
    }
    ctx.out << "lead " << lead_id << " (" << lead->dealer_id << "): " << lead->state
            << (lead->assignee ? ", assignee " + *lead->assignee : "") << "\n";
    if (trail->empty())
        ctx.out << "  not assigned yet\n";
    for (const auto& entry : *trail) {
        ctx.out << core::format_iso8601(entry.at, zone) << "  " << entry.rule << " → "
                << entry.user.value_or("(nobody yet)") << "  by " << entry.actor << "\n";
        if (!entry.notes.empty())
            ctx.out << "  because: " << entry.notes << "\n";
        if (entry.attached_to)
            ctx.out << "  attached to the contact's open lead " << *entry.attached_to << "\n";
        if (entry.previous_user)
            ctx.out << "  taken from " << *entry.previous_user << "\n";
        if (entry.scope)
            ctx.out << "  " << entry.scope.value() << " rotation, cursor "
                    << entry.cursor_before.value_or("(start)") << " → "
                    << entry.cursor_after.value_or("(unchanged)") << "\n";
        if (!entry.candidates.empty())
            ctx.out << "  considered: " << entry.candidates << "\n";
    }
    if (!actions->empty())
        ctx.out << "actions:\n";
    for (const auto& act : *actions)
        ctx.out << core::format_iso8601(act.at, zone) << "  " << act.action << " by "
                << act.user.value_or("(leadctl)") << " via " << act.channel
                << (act.detail == "{}" ? std::string() : "  " + act.detail) << "\n";
    return exit_ok;
}

} // namespace

Command leads_command() {
    return {"leads",
            "list a dealer's leads with assignee, rule and due state (ok/soon/overdue)",
            "--dealer D [--open] [--limit N] [--json]",
            {{"dealer", true, "dealer id (Kürzel)", "D"},
             {"open", false, "only leads not closed (new, assigned, responded)"},
             {"limit", true, "newest N leads (default 200)", "N"},
             {"database", true, "libpq conninfo (default: system.database)", "CONNINFO"},
             {"json", false, "print one JSON object per lead"}},
            run_leads};
}

Command why_command() {
    return {"why",
            "explain who got a lead and why: the audit trail",
            "--lead ID [--json]",
            {{"lead", true, "the lead", "ID"},
             {"database", true, "libpq conninfo (default: system.database)", "CONNINFO"},
             {"json", false, "print the trail as JSON"}},
            run_why};
}

} // namespace lr::ctl
