#include "forwarding.hpp"

#include <algorithm>

namespace lr::milter {

const core::Location* effective_location(const core::Dealer& dealer,
                                         const std::vector<MailboxRecipient>& recipients,
                                         const std::optional<std::string>& vehicle_location) {
    if (dealer.use_vehicle_location_rules && vehicle_location)
        if (const core::Location* location = dealer.find_location(*vehicle_location))
            return location;
    return recipients.empty() ? nullptr : recipients.front().location;
}

EnvelopeChange plan_forwarding(const core::Dealer& dealer,
                               const std::vector<MailboxRecipient>& recipients,
                               const std::optional<std::string>& vehicle_location) {
    EnvelopeChange change;
    const core::Location* vehicle_site = dealer.use_vehicle_location_rules && vehicle_location
                                             ? dealer.find_location(*vehicle_location)
                                             : nullptr;
    for (const auto& recipient : recipients) {
        const core::Location* rules = vehicle_site ? vehicle_site : recipient.location;
        if (!rules || !rules->forward_to)
            continue; // no forward target: the message stays addressed to the mailbox
        change.remove.push_back(recipient.as_received);
        if (std::find(change.add.begin(), change.add.end(), *rules->forward_to) == change.add.end())
            change.add.push_back(*rules->forward_to);
    }
    return change;
}

} // namespace lr::milter
