// The LISTEN/NOTIFY channels on which leadd waits for work.
#pragma once

namespace lr::store::channel {

inline constexpr const char* new_lead = "leadrouter_new_lead"; // leads to assign
inline constexpr const char* schedule = "leadrouter_schedule"; // events to (re)plan
inline constexpr const char* outbox = "leadrouter_outbox";     // mail to send

} // namespace lr::store::channel
