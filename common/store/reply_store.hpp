// A salesperson's reply to the customer (SPEC §8, `leadctl reply`): what
// the reply needs from the database, and queueing it in the outbox
// together with the reaction it counts as. The caller runs both inside one
// transaction and composes the message in between.
#pragma once

#include "core/config.hpp"
#include "core/zoned_time.hpp"
#include "store/lead_actions.hpp"
#include "store/pg.hpp"

#include <optional>
#include <string>
#include <vector>

namespace lr::store {

struct ReplyContext {
    long long lead_id = 0;
    std::string dealer_id;
    long long outbox_id = 0;      // reserved: the reply's Message-ID is built from it
    std::string mailbox;          // the lead's location mailbox
    std::string tracking_address; // mailbox+token@domain
    std::string customer_email;
    std::string customer_name;
    std::vector<std::string> thread; // Message-IDs of the lead's mails, oldest first, no <>
    std::optional<std::string> vehicle_label; // internal number
    std::optional<std::string> expose_path;   // of the dealer's configured type
};

// Locks the lead. Errors: unknown lead, lead_tracking (refused), unknown
// user, lead not open, no customer e-mail address.
Result<ReplyContext> prepare_reply(Connection& connection, const core::Config& config,
                                   long long lead_id, const std::string& user_id);

// Queues the composed reply and records the user's reaction.
Result<void> queue_reply(Connection& connection, const ReplyContext& context,
                         const std::string& message_id, const std::string& content,
                         const Actor& actor, core::Instant now);

} // namespace lr::store
