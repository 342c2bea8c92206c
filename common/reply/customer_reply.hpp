// A salesperson's reply to the customer (SPEC §8, LMS mode): composed,
// threaded, with the vehicle's exposé when asked, queued in the outbox and
// recorded as the user's reaction, all in the caller's transaction. One
// code path for `leadctl reply` and leadweb's reply page (issue #15).
#pragma once

#include "core/config.hpp"
#include "core/zoned_time.hpp"
#include "store/lead_actions.hpp"
#include "store/pg.hpp"

#include <optional>
#include <string>

namespace lr::reply {

// A reply is a few lines a person wrote.
inline constexpr std::size_t max_reply_bytes = 256 * 1024;

struct ReplyRequest {
    long long lead_id = 0;
    std::string body;                   // UTF-8, as the person wrote it
    bool expose = false;                // attach the exposé of the dealer's type
    std::optional<std::string> subject; // else "Ihre Anfrage bei <dealer> – Fahrzeug …"
    store::Actor actor;                 // who replies, and through which door
    core::Instant now;
};

struct QueuedReply {
    std::string message_id; // without <>
    std::string customer_email;
    bool with_expose = false;
};

// Errors: the lead is unknown, not open, tracked only (lead_tracking), has
// no customer address or no exposé; the user is unknown; the text is empty
// or too long; the database failed (code database). Nothing is queued
// then; the caller rolls back.
Result<QueuedReply> reply_to_customer(store::Transaction& transaction, const core::Config& config,
                                      const ReplyRequest& request);

} // namespace lr::reply
