#include "store/lead_queries.hpp"

#include "store/timestamps.hpp"
#include "util/json.hpp"

namespace lr::store {

namespace {

// The seed's colours: no schedule, ok, reminder passed, level 1 passed.
const char* const due_case =
    "CASE WHEN l.state NOT IN ('new', 'assigned') THEN NULL "
    "WHEN e.level1 IS NULL AND e.reminder IS NULL THEN NULL "
    "WHEN e.level1 <= $2 THEN 'overdue' WHEN e.reminder <= $2 THEN 'soon' ELSE 'ok' END";
const char* const due_join =
    "LEFT JOIN LATERAL (SELECT min(due_at) FILTER (WHERE kind = 'level1') AS level1, "
    "min(due_at) FILTER (WHERE kind = 'reminder') AS reminder FROM scheduled_events "
    "WHERE lead_id = l.id AND state <> 'cancelled') e ON true ";

DueState due_from(const std::optional<std::string>& text) {
    return !text                ? DueState::none
           : *text == "overdue" ? DueState::overdue
           : *text == "soon"    ? DueState::soon
                                : DueState::ok;
}

Param optional_time(const std::optional<core::Instant>& instant) {
    return instant ? Param(timestamp_param(*instant)) : Param();
}

} // namespace

Result<std::vector<LeadRow>> find_leads(Connection& connection, const LeadFilter& filter,
                                        core::Instant now) {
    const std::optional<std::string> due =
        filter.due ? std::optional<std::string>(
                         filter.due == DueState::none ? "none" : to_string(*filter.due))
                   : std::nullopt;
    auto rows = connection.exec(
        std::string("SELECT id, received, kind, source, contact, assignee, state, rule, due, "
                    "received_us FROM (SELECT l.id, extract(epoch FROM l.received_at)::bigint AS "
                    "received, (extract(epoch FROM l.received_at) * 1000000)::bigint AS "
                    "received_us, "
                    "l.kind, l.source, coalesce(c.email, c.phone, '-') AS contact, l.assignee, "
                    "l.state, l.assigned_rule AS rule, ") +
            due_case + " AS due FROM leads l LEFT JOIN contacts c ON c.id = l.contact_id " +
            due_join +
            "WHERE l.dealer_id = $1 "
            "AND ($3 = 'all' OR l.state IN ('new', 'assigned', 'responded')) "
            "AND ($4::text IS NULL OR l.state = $4) AND ($5::text IS NULL OR l.assignee = $5) "
            "AND ($6::text IS NULL OR l.kind = $6) AND ($7::text IS NULL OR l.source = $7) "
            "AND ($8::timestamptz IS NULL OR l.received_at >= $8) "
            "AND ($9::timestamptz IS NULL OR l.received_at < $9) "
            "AND ($10::bigint IS NULL OR (l.received_at, l.id) < ('epoch'::timestamptz + "
            "$10::bigint * "
            "interval '1 microsecond', $11::bigint)) "
            "ORDER BY l.received_at DESC, l.id DESC) x "
            "WHERE $12::text IS NULL OR coalesce(x.due, 'none') = $12 LIMIT $13",
        {filter.dealer_id, timestamp_param(now), filter.open_only ? "open" : "all", filter.state,
         filter.assignee, filter.kind, filter.source, optional_time(filter.received_from),
         optional_time(filter.received_until),
         filter.after ? Param(std::to_string(filter.after->received_us)) : Param(),
         std::to_string(filter.after ? filter.after->id : 0), due, std::to_string(filter.limit)});
    if (!rows)
        return rows.error();
    std::vector<LeadRow> out;
    for (int i = 0; i < rows->size(); ++i) {
        LeadRow row;
        row.id = rows->integer(i, 0);
        row.received_at = instant_from_epoch(rows->integer(i, 1));
        row.kind = rows->text(i, 2);
        row.source = rows->text(i, 3);
        row.contact = rows->text(i, 4);
        row.assignee = rows->optional_text(i, 5);
        row.state = rows->text(i, 6);
        row.rule = rows->optional_text(i, 7);
        row.due = due_from(rows->optional_text(i, 8));
        row.received_us = rows->integer(i, 9);
        out.push_back(std::move(row));
    }
    return out;
}

Result<std::optional<std::string>> dealer_of_lead(Connection& connection, long long lead_id) {
    auto rows =
        connection.exec("SELECT dealer_id FROM leads WHERE id = $1", {std::to_string(lead_id)});
    if (!rows)
        return rows.error();
    if (rows->empty())
        return std::optional<std::string>();
    return std::optional(rows->text(0, 0));
}

Result<std::optional<LeadDetail>> lead_detail(Connection& connection, long long lead_id,
                                              core::Instant now) {
    // Prepared: the API reads leads one by one at a high rate, and this
    // statement's plan costs more than its run.
    auto rows = connection.exec_prepared(
        std::string("SELECT l.id, l.dealer_id, l.location_id, l.kind, l.source, l.provider, "
                    "l.state, l.assignee, l.assigned_rule, "
                    "extract(epoch FROM l.assigned_at)::bigint, "
                    "extract(epoch FROM l.received_at)::bigint, l.version, c.salutation, "
                    "c.first_name, c.last_name, c.email, c.phone, l.vehicle::text, "
                    "l.trade_in::text, l.message, ") +
            due_case +
            ", (SELECT coalesce(json_agg(json_build_array(m.id, extract(epoch FROM "
            "m.received_at)::bigint, m.kind, m.reason, m.envelope_from, "
            "m.classification->>'message') ORDER BY m.received_at, m.id), '[]') FROM messages m "
            "WHERE m.lead_id = l.id), "
            "(SELECT coalesce(json_agg(json_build_array(s.id, s.kind, extract(epoch FROM "
            "s.due_at)::bigint, extract(epoch FROM s.send_at)::bigint, s.addressee, s.state) "
            "ORDER BY s.due_at, s.id), '[]') FROM scheduled_events s WHERE s.lead_id = l.id), "
            "(SELECT coalesce(json_agg(json_build_array(extract(epoch FROM a.assigned_at)::bigint, "
            "a.user_id, a.rule, a.actor, a.explanation) ORDER BY a.assigned_at, a.id), '[]') "
            "FROM assignments a WHERE a.lead_id = l.id), "
            "(SELECT coalesce(json_agg(json_build_array(extract(epoch FROM p.acted_at)::bigint, "
            "p.action, p.user_id, p.channel, p.detail, p.integration) ORDER BY p.acted_at, p.id), "
            "'[]') FROM lead_actions p WHERE p.lead_id = l.id) "
            "FROM leads l LEFT JOIN contacts c ON c.id = l.contact_id " +
            due_join + "WHERE l.id = $1",
        {std::to_string(lead_id), timestamp_param(now)});
    if (!rows)
        return rows.error();
    if (rows->empty())
        return std::optional<LeadDetail>();
    LeadDetail lead;
    lead.id = rows->integer(0, 0);
    lead.dealer_id = rows->text(0, 1);
    lead.location_id = rows->optional_text(0, 2);
    lead.kind = rows->text(0, 3);
    lead.source = rows->text(0, 4);
    lead.provider = rows->optional_text(0, 5);
    lead.state = rows->text(0, 6);
    lead.assignee = rows->optional_text(0, 7);
    lead.assigned_rule = rows->optional_text(0, 8);
    if (!rows->is_null(0, 9))
        lead.assigned_at = instant_from_epoch(rows->integer(0, 9));
    lead.received_at = instant_from_epoch(rows->integer(0, 10));
    lead.version = rows->integer(0, 11);
    lead.salutation = rows->optional_text(0, 12);
    lead.first_name = rows->optional_text(0, 13);
    lead.last_name = rows->optional_text(0, 14);
    lead.email = rows->optional_text(0, 15);
    lead.phone = rows->optional_text(0, 16);
    lead.vehicle_json = rows->optional_text(0, 17);
    lead.trade_in_json = rows->optional_text(0, 18);
    lead.message = rows->optional_text(0, 19);
    lead.due = due_from(rows->optional_text(0, 20));

    // The lists come as JSON arrays of arrays, in the column order above.
    const auto list = [&](int column) {
        Json parsed = Json::parse(rows->text(0, column), nullptr, false);
        return parsed.is_array() ? parsed : Json::array();
    };
    const auto text = [](const Json& value) {
        return value.is_string() ? std::optional(value.get<std::string>()) : std::nullopt;
    };
    for (const auto& m : list(21))
        lead.messages.push_back({m[0].get<long long>(), instant_from_epoch(m[1].get<long long>()),
                                 m[2].get<std::string>(), text(m[3]), text(m[4]), text(m[5])});
    for (const auto& e : list(22))
        lead.events.push_back({e[0].get<long long>(), e[1].get<std::string>(),
                               instant_from_epoch(e[2].get<long long>()),
                               instant_from_epoch(e[3].get<long long>()), e[4].get<std::string>(),
                               e[5].get<std::string>()});
    for (const auto& a : list(23)) {
        AuditEntry entry;
        entry.at = instant_from_epoch(a[0].get<long long>());
        entry.user = text(a[1]);
        entry.rule = a[2].get<std::string>();
        entry.actor = a[3].get<std::string>();
        entry.explanation = json_text(a[4]);
        lead.audit.push_back(std::move(entry));
    }
    for (const auto& p : list(24))
        lead.actions.push_back({instant_from_epoch(p[0].get<long long>()), p[1].get<std::string>(),
                                text(p[2]), p[3].get<std::string>(), json_text(p[4]), text(p[5])});
    return std::optional(std::move(lead));
}

} // namespace lr::store
