#include "mailbox_index.hpp"

#include "core/address.hpp"

namespace lr::milter {

MailboxIndex::MailboxIndex(const core::Config& config) {
    for (const auto& dealer : config.dealers)
        for (const auto& location : dealer.locations)
            m_mailboxes[core::canonical_address(location.mailbox)] = {&dealer, &location};
}

std::optional<MailboxMatch> MailboxIndex::find(std::string_view recipient) const {
    auto tagged = core::split_tag(recipient);
    auto it = m_mailboxes.find(tagged.mailbox);
    if (it == m_mailboxes.end())
        return std::nullopt;
    return MailboxMatch{it->second.first, it->second.second, tagged.tag};
}

} // namespace lr::milter
