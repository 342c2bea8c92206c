#include "store/event_queries.hpp"

#include "store/pg_array.hpp"

namespace lr::store {

namespace {
std::string iso(core::Instant instant) {
    return core::format_iso8601(instant, date::locate_zone("UTC"));
}
} // namespace

std::string insert_events_sql(int first) {
    auto p = [&](int offset) { return "$" + std::to_string(first + offset); };
    return "INSERT INTO scheduled_events (lead_id, kind, anchor_at, due_at, send_at, addressee, "
           "chain) SELECT e.lead_id, e.kind, e.anchor_at, e.due_at, e.send_at, e.addressee, "
           "coalesce((SELECT max(chain) + 1 FROM scheduled_events s WHERE s.lead_id = e.lead_id), "
           "0) FROM unnest(" +
           p(0) + "::bigint[], " + p(1) + "::text[], " + p(2) + "::timestamptz[], " + p(3) +
           "::timestamptz[], " + p(4) + "::timestamptz[], " + p(5) +
           "::text[]) AS e(lead_id, kind, anchor_at, due_at, send_at, addressee)";
}

void append_event_params(std::vector<Param>& params, const std::vector<LeadEvent>& events) {
    std::vector<long long> leads;
    std::vector<std::string> kinds, anchors, dues, sends, addressees;
    for (const auto& [lead, event] : events) {
        leads.push_back(lead);
        kinds.push_back(event.kind);
        anchors.push_back(iso(event.anchor));
        dues.push_back(iso(event.due));
        sends.push_back(iso(event.send));
        addressees.push_back(event.addressee);
    }
    params.push_back(array_literal(leads));
    params.push_back(array_literal(kinds));
    params.push_back(array_literal(anchors));
    params.push_back(array_literal(dues));
    params.push_back(array_literal(sends));
    params.push_back(array_literal(addressees));
}

Statement insert_events(const std::vector<LeadEvent>& events) {
    Statement statement{insert_events_sql(1), {}};
    append_event_params(statement.params, events);
    return statement;
}

} // namespace lr::store
