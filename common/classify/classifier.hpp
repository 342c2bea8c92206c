// Classification (SPEC §4, lead-formats.md): bytes of one message in, the
// record out. Pure: no database, no milter; the kind `reply` needs the
// database and is decided by the milter before this runs.
#pragma once

#include "classify/mail_view.hpp"
#include "classify/record.hpp"
#include "core/config.hpp"

#include <optional>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace lr::classify {

struct Envelope {
    // The SMTP MAIL FROM; "" is the null sender (a bounce). nullopt when it
    // is not known (offline): then `Return-Path: <>` stands for it.
    std::optional<std::string> sender;
};

class Classifier {
public:
    // The configuration's source profiles and mailboxes; nullptr: the
    // built-in profiles, and every @dein.auto address is the dealer's own.
    explicit Classifier(const core::Config* config = nullptr);

    Record classify(const MailView& mail, const Envelope& envelope = {}) const;

    // Not a customer's address: a configured mailbox (any +tag), else any
    // @dein.auto address, or a machine sender (noreply, mailer-daemon …).
    bool is_excluded_address(std::string_view address) const;

private:
    struct Profile {
        core::SourceProfile profile;
        std::optional<std::regex> subject; // compiled once, not per message
    };
    std::vector<Profile> m_profiles;
    std::set<std::string> m_mailboxes; // lower case
    std::set<std::string> m_staff;     // the users' e-mail addresses, lower case
};

// read_mail and classify in one step; invalid_input when raw is no message.
Result<Record> classify_bytes(const Classifier& classifier, std::string_view raw,
                              const Envelope& envelope = {});

// Does text name a trade-in (Inzahlungnahme, Ankauf, …)?
bool mentions_trade_in(std::string_view text);

} // namespace lr::classify
