// The end of one message (SPEC §5): classify it, store it in one database
// transaction (message, contact, lead or reply or reaction, queued
// notices), and say how the envelope and headers change. Free of
// libmilter, so tests drive it against a real database directly.
#pragma once

#include "core/zoned_time.hpp"
#include "forwarding.hpp"
#include "lead_committer.hpp"
#include "message_state.hpp"
#include "store/connection_pool.hpp"

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace lr::milter {

struct DealerOutcome {
    const core::Dealer* dealer = nullptr;
    std::string kind; // lead | tradein | reply | reaction | command | unassignable
    std::optional<std::string> reason;
    std::optional<long long> lead_id;
    // A reaction: what proved it was the user's (core::proof_name).
    std::optional<std::string> proof;
    // A mail that claimed to be a user's on a lead and was not proven:
    // why (for the journal's warning). The lead is left as it was.
    std::optional<std::string> doubt;
    // A reply command: what was done or why not (for the journal).
    std::optional<std::string> command;
    EnvelopeChange envelope;
    bool duplicate = false;      // stored before under this Message-ID
    std::set<std::string> wakes; // leadd's channels to NOTIFY after the commit
};

struct Outcome {
    std::vector<DealerOutcome> dealers;
    std::string message_id;
    // The value of X-Lead-Class (the first dealer's kind, reason appended).
    std::string lead_class() const;
    // Every dealer's channels to NOTIFY, once each.
    std::set<std::string> wakes() const;
};

// Stores the message and commits; a database error comes back as is, with
// nothing stored.
Result<Outcome> store_message(const MessageState& state, store::ConnectionPool& pool,
                              LeadCommitter& committer, core::Instant now);

// What happens without the database (on_db_error: accept): classification
// and forwarding by the recipients' locations; nothing is stored.
Outcome untracked_outcome(const MessageState& state);

} // namespace lr::milter
