// Which envelope recipients are ours (SPEC §4): a configured mailbox,
// case-insensitive, `mailbox+tag@dein.auto` counting as the mailbox.
#pragma once

#include "core/config.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace lr::milter {

struct MailboxMatch {
    const core::Dealer* dealer = nullptr;
    const core::Location* location = nullptr;
    std::string tag; // the +tag, e.g. a lead's tracking token
};

class MailboxIndex {
public:
    explicit MailboxIndex(const core::Config& config);
    // recipient as Postfix passes it ("<Mueller+Tag@Dein.Auto>").
    std::optional<MailboxMatch> find(std::string_view recipient) const;

private:
    std::map<std::string, std::pair<const core::Dealer*, const core::Location*>, std::less<>>
        m_mailboxes;
};

} // namespace lr::milter
