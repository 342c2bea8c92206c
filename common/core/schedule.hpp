// The events of a lead's escalation chain (SPEC §7) as rows to store: what
// comes due when, when its mail may go out, and to whom. Every event keeps
// its anchor (receipt, reassignment or resubmission time), so a changed
// configuration recomputes due and send times from the anchor alone.
#pragma once

#include "core/config.hpp"
#include "core/zoned_time.hpp"
#include "util/result.hpp"

#include <optional>
#include <string>
#include <vector>

namespace lr::core {

// The kinds, as stored in scheduled_events.kind.
namespace event_kind {
inline constexpr const char* notice = "assignment_notice";
inline constexpr const char* reminder = "reminder";
inline constexpr const char* level1 = "level1";
inline constexpr const char* level2 = "level2";
inline constexpr const char* resubmission = "resubmission";
inline constexpr const char* level2_resubmission = "level2_resubmission";
inline constexpr const char* customer_message = "customer_message";
} // namespace event_kind

struct PlannedEvent {
    std::string kind;
    Instant anchor;
    Instant due;
    Instant send;
    std::string addressee; // a user id of the dealer
};

// Level 2 goes to the assignee's supervisor, else the admin account.
std::string level2_addressee(const Dealer& dealer, const std::string& assignee);

// The chain of a lead received at `received` and assigned at `assigned_at`
// to assignee: the assignment notice, the reminder (if any), level 1 and
// level 2. For a reassignment both times are the reassignment time.
Result<std::vector<PlannedEvent>> escalation_chain(const Dealer& dealer, Instant received,
                                                   Instant assigned_at,
                                                   const std::string& assignee);

// The customer wrote again on a lead held by assignee (SPEC §7): a notice
// of the message now, and when a reaction had ended the chain (restart), a
// new chain from the message's receipt. Empty without working time.
std::vector<PlannedEvent> customer_message_events(const Dealer& dealer, Instant received,
                                                  Instant now, const std::string& assignee,
                                                  bool restart);

Result<std::vector<PlannedEvent>> resubmission_chain(const Dealer& dealer, Instant resubmission,
                                                     const std::string& assignee);

// A customer_message event is anchored where it was created, like the
// assignment notice. Due and send of one stored event under (possibly new) configuration;
// nullopt when the event no longer exists under it (a reminder set to 0).
Result<std::optional<std::pair<Instant, Instant>>>
recompute_event(const Dealer& dealer, const std::string& kind, Instant anchor);

} // namespace lr::core
