#include "store/lead_views.hpp"

#include "store/lead_queries.hpp"
#include "store/timestamps.hpp"

namespace lr::store {

const char* to_string(DueState state) {
    switch (state) {
    case DueState::none:
        return "-";
    case DueState::ok:
        return "ok";
    case DueState::soon:
        return "soon";
    case DueState::overdue:
        return "overdue";
    }
    return "-";
}

Result<std::vector<LeadRow>> list_leads(Connection& connection, const std::string& dealer_id,
                                        bool open_only, int limit, core::Instant now) {
    LeadFilter filter;
    filter.dealer_id = dealer_id;
    filter.open_only = open_only;
    filter.limit = limit;
    return find_leads(connection, filter, now);
}

Result<std::vector<AuditEntry>> lead_audit(Connection& connection, long long lead_id) {
    auto rows = connection.exec(
        "SELECT extract(epoch FROM assigned_at)::bigint, user_id, rule, actor, explanation::text, "
        "explanation->>'scope', explanation->>'cursor_before', explanation->>'cursor_after', "
        "coalesce((SELECT string_agg(x.c->>'user' || CASE WHEN x.c->>'skipped' IS NULL THEN "
        "' (picked)' ELSE ' (skipped: ' || (x.c->>'skipped') || ')' END, ', ' ORDER BY x.n) "
        "FROM jsonb_array_elements(explanation->'candidates') WITH ORDINALITY AS x(c, n)), ''), "
        "coalesce((SELECT string_agg(n, '; ') FROM jsonb_array_elements_text(explanation->'notes') "
        "AS n), ''), explanation->>'attached_to', explanation->>'from' "
        "FROM assignments WHERE lead_id = $1 ORDER BY assigned_at, id",
        {std::to_string(lead_id)});
    if (!rows)
        return rows.error();
    std::vector<AuditEntry> out;
    for (int i = 0; i < rows->size(); ++i)
        out.push_back({instant_from_epoch(rows->integer(i, 0)), rows->optional_text(i, 1),
                       rows->text(i, 2), rows->text(i, 3), rows->text(i, 4),
                       rows->optional_text(i, 5), rows->optional_text(i, 6),
                       rows->optional_text(i, 7), rows->text(i, 8), rows->text(i, 9),
                       rows->optional_text(i, 10), rows->optional_text(i, 11)});
    return out;
}

Result<std::vector<ActionEntry>> lead_action_trail(Connection& connection, long long lead_id) {
    auto rows = connection.exec("SELECT extract(epoch FROM acted_at)::bigint, action, user_id, "
                                "channel, detail::text, integration FROM lead_actions WHERE "
                                "lead_id = $1 ORDER BY acted_at, id",
                                {std::to_string(lead_id)});
    if (!rows)
        return rows.error();
    std::vector<ActionEntry> out;
    for (int i = 0; i < rows->size(); ++i)
        out.push_back({instant_from_epoch(rows->integer(i, 0)), rows->text(i, 1),
                       rows->optional_text(i, 2), rows->text(i, 3), rows->text(i, 4),
                       rows->optional_text(i, 5)});
    return out;
}

Result<std::string> lead_headline(Connection& connection, long long lead_id) {
    auto rows = connection.exec(
        "SELECT concat_ws(', ', nullif(trim(coalesce(c.first_name, '') || ' ' || "
        "coalesce(c.last_name, '')), ''), nullif(trim(concat_ws(' ', l.vehicle->>'make', "
        "l.vehicle->>'model') || coalesce(' (' || coalesce(l.vehicle->>'internal_number', "
        "l.vehicle->>'listing_id') || ')', '')), '')) FROM leads l LEFT JOIN contacts c ON "
        "c.id = l.contact_id WHERE l.id = $1",
        {std::to_string(lead_id)});
    if (!rows)
        return rows.error();
    return rows->empty() ? std::string() : rows->text(0, 0);
}

} // namespace lr::store
