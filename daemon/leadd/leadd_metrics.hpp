// What only leadd knows, for Prometheus (issue #16): how long leads waited
// for their assignment, the events it fired by kind, the mail it sent and
// what the mail servers refused. The database-derived gauges (leads
// waiting, overdue leads, the outbox's backlog) come from leadweb, which
// reads them at scrape time from the one place that is always right.
#pragma once

#include <string>

namespace lr::daemon::metrics {

enum class SendOutcome { sent, deferred, failed };

void declare(); // every series at zero from the start
void observe_assignment(double waited_seconds);
void count_fired(const std::string& event_kind, long long count);
void count_send(SendOutcome outcome);

} // namespace lr::daemon::metrics
