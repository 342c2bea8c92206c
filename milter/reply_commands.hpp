// A reply command (issue #15): a user answers a notice at their own reply
// address with "übernehmen", "erledigt", "wiedervorlage …", "an …" or
// "schließen" on the first line. The milter carries it out inside the
// transaction that stores the mail, through the same store functions as
// leadctl, and queues the user a short answer: done, not done and why, or
// not understood. Only a mail the sender proof shows to be that user's
// gets here; a command to an address older than system.action_lifetime
// does nothing.
#pragma once

#include "core/config.hpp"
#include "core/reply_command.hpp"
#include "store/inbound_store.hpp"
#include "store/pg.hpp"

#include <optional>
#include <string>

namespace lr::milter {

struct CommandRequest {
    const core::Config* config = nullptr;
    const core::Dealer* dealer = nullptr;
    const core::Location* location = nullptr; // whose mailbox answers
    const store::ReplyKeyLead* key = nullptr; // the lead, locked, and the user
    core::ParsedReply parsed;                 // kind is command or not_understood
    std::string command_message_id;           // the user's mail, without <>
    core::Instant now;
};

struct CommandOutcome {
    std::string result;    // done | refused | not_understood | expired: messages.reason
    std::string journal;   // one line for the log
    bool answered = false; // a mail to the user was queued
};

// Stores the mail (kind command) and does what it asks. A database error
// comes back as is (the transaction then rolls back and the sender
// retries); a refusal is an outcome.
Result<CommandOutcome> carry_out_command(store::Transaction& transaction,
                                         const CommandRequest& request,
                                         const store::InboundMessage& message);

} // namespace lr::milter
