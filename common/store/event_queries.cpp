#include "store/event_queries.hpp"

#include "store/pg_array.hpp"
#include "store/timestamps.hpp"

namespace lr::store {

std::string insert_events_sql(int first, const std::string& where) {
    auto p = [&](int offset) { return "$" + std::to_string(first + offset); };
    return "INSERT INTO scheduled_events (lead_id, kind, anchor_at, due_at, send_at, addressee, "
           "chain) SELECT * FROM unnest(" +
           p(0) + "::bigint[], " + p(1) + "::text[], " + p(2) + "::timestamptz[], " + p(3) +
           "::timestamptz[], " + p(4) + "::timestamptz[], " + p(5) + "::text[], " + p(6) +
           "::integer[]) AS e(lead_id, kind, anchor_at, due_at, send_at, addressee, chain)" +
           (where.empty() ? "" : " WHERE " + where);
}

void append_event_params(std::vector<Param>& params, const std::vector<LeadEvent>& events) {
    std::vector<long long> leads, chains;
    std::vector<std::string> kinds, anchors, dues, sends, addressees;
    for (const auto& [lead, event, chain] : events) {
        leads.push_back(lead);
        chains.push_back(chain);
        kinds.push_back(event.kind);
        anchors.push_back(timestamp_param(event.anchor));
        dues.push_back(timestamp_param(event.due));
        sends.push_back(timestamp_param(event.send));
        addressees.push_back(event.addressee);
    }
    params.push_back(array_literal(leads));
    params.push_back(array_literal(kinds));
    params.push_back(array_literal(anchors));
    params.push_back(array_literal(dues));
    params.push_back(array_literal(sends));
    params.push_back(array_literal(addressees));
    params.push_back(array_literal(chains));
}

Statement insert_events(const std::vector<LeadEvent>& events) {
    Statement statement{insert_events_sql(1), {}};
    append_event_params(statement.params, events);
    return statement;
}

} // namespace lr::store

namespace lr::store {

Result<int> next_chain(Connection& connection, long long lead_id) {
    auto rows = connection.exec(
        "SELECT coalesce(max(chain) + 1, 0) FROM scheduled_events WHERE lead_id = $1",
        {std::to_string(lead_id)});
    if (!rows)
        return rows.error();
    return static_cast<int>(rows->integer(0, 0));
}

} // namespace lr::store
