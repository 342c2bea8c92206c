// Forwarding (SPEC §5.2, Postfach Teil 1): each mailbox recipient is
// replaced by its location's forward target; without one it stays. With
// use_vehicle_location_rules a lead about a vehicle of another location
// follows that location's forwarding. Pure: the milter applies the result
// with smfi_delrcpt / smfi_addrcpt.
#pragma once

#include "core/config.hpp"

#include <optional>
#include <string>
#include <vector>

namespace lr::milter {

struct MailboxRecipient {
    std::string as_received; // the RCPT TO argument, for smfi_delrcpt
    const core::Location* location = nullptr;
};

struct EnvelopeChange {
    std::vector<std::string> remove; // as received
    std::vector<std::string> add;    // forward targets, each once
};

// vehicle_location: the location of the lead's vehicle in the inventory.
EnvelopeChange plan_forwarding(const core::Dealer& dealer,
                               const std::vector<MailboxRecipient>& recipients,
                               const std::optional<std::string>& vehicle_location);

// The location whose rules apply to the message: the vehicle's (when the
// dealer uses vehicle location rules and it is another configured one),
// else the first recipient's.
const core::Location* effective_location(const core::Dealer& dealer,
                                         const std::vector<MailboxRecipient>& recipients,
                                         const std::optional<std::string>& vehicle_location);

} // namespace lr::milter
