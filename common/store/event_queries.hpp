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
};

// "INSERT INTO scheduled_events (...) SELECT ... FROM unnest($first … $first+5)":
// six array parameters, filled by append_event_params. Each lead's events
// get the lead's next chain number, so a restarted chain is told apart.
std::string insert_events_sql(int first_parameter);
void append_event_params(std::vector<Param>& params, const std::vector<LeadEvent>& events);

Statement insert_events(const std::vector<LeadEvent>& events);

} // namespace lr::store
