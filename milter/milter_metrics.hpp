// What only the milter knows, for Prometheus (issue #16): each message's
// class and reason as stored, the temporary failures and their cause, the
// refusals, and the milter's own time per message.
#pragma once

#include <optional>
#include <string>

namespace lr::milter::metrics {

enum class Tempfail { busy, database };

// Every series at zero from the start, so a rate() has a first sample.
void declare();

// One dealer's outcome of a stored message (a duplicate is counted apart).
void count_message(const std::string& kind, const std::optional<std::string>& reason,
                   bool duplicate);
void count_tempfail(Tempfail cause);
void count_too_big();
void count_untracked(); // on_db_error: accept, delivered without a lead
void observe_message_seconds(double seconds);

} // namespace lr::milter::metrics
