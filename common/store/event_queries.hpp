// Writing scheduled events (a lead's reminders and escalations) in bulk:
// the INSERT is shared by the assignment batch, reassignments and
// resubmissions, so every chain is stored the same way.
#pragma once

#include "core/schedule.hpp"
#include "store/pg.hpp"

#include <string>
#include <vector>

namespace lr::store {

struct LeadEvent {
    long long lead_id = 0;
    core::PlannedEvent event;
    int chain = 0; // 0 for a new lead; restarts and resubmissions count up
};

// "INSERT INTO scheduled_events (...) SELECT ... FROM unnest($first … $first+6) AS e"
// [WHERE where]: seven array parameters, filled by append_event_params; the
// condition may name e.lead_id and the other columns of the insert.
std::string insert_events_sql(int first_parameter, const std::string& where = "");
void append_event_params(std::vector<Param>& params, const std::vector<LeadEvent>& events);

Statement insert_events(const std::vector<LeadEvent>& events);

// The number of the lead's next chain (0 when it has none yet).
Result<int> next_chain(Connection& connection, long long lead_id);

} // namespace lr::store
