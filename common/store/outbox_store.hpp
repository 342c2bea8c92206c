// The outbox (SPEC §8): mails are leased in batches for sending, then
// recorded as sent, retried later (temporary failure) or failed (permanent).
// Everything a notice's text needs comes with the lease in one query.
#pragma once

#include "core/zoned_time.hpp"
#include "store/pg.hpp"

#include <optional>
#include <string>
#include <vector>

namespace lr::store {

struct OutboxMail {
    long long id = 0;
    std::string dealer_id;
    std::optional<long long> lead_id;
    std::string kind;
    std::string message_id; // with <>
    std::string mail_from;
    std::vector<std::string> recipients;
    std::optional<std::string> content; // prebuilt message, if any
    int attempts = 0;
    core::Instant queued_since; // max_queue_lifetime counts from here
    // For notices: the event's due time and the lead's key data.
    std::optional<core::Instant> due;
    std::optional<core::Instant> received_at;
    std::string lead_kind, source, contact_name, contact_email, contact_phone, vehicle, message,
        assignee;
    // For the trade-in CC: the customer's car and the original message.
    std::string trade_in_make, trade_in_model, trade_in_registration, trade_in_vin;
    std::optional<long long> trade_in_mileage_km;
    std::optional<std::string> original;
    // A notice to one user: the token of that user's reply address for
    // the lead (mailbox+r<token>), empty otherwise.
    std::string reply_key;
    std::string user_id; // the notice's one user; empty for other mails
    std::string lead_state;
    long long lead_version = 0; // the links are signed over it (issue #15)
    // A digest (issue #18): its leads as a JSON array, one object each
    // (event, due, lead, received, kind, source, name, email, phone,
    // vehicle, message, assignee, state, version, reply_key).
    std::optional<std::string> digest;
};

// Leases up to limit due mails of these dealers for lease_seconds (SKIP
// LOCKED) to holder ("leadd@host:pid"). A dealer that is no longer
// configured keeps its mails queued.
Statement lease_outbox(core::Instant now, int limit, int lease_seconds,
                       const std::vector<std::string>& dealer_ids, const std::string& holder);

// The holders whose name starts with prefix that hold leases now.
Statement lease_holders(const std::string& prefix, core::Instant now);
// Ends the leases of holders that are known to be dead: their mails are
// sent again (a mail the dead one had sent but not recorded goes twice,
// recognisable by its Message-ID).
Statement release_leases(const std::vector<std::string>& holders);
// Ends the leases held under holder's name but for the rows in keep: ones
// the holder does not know it holds (their lease's answer was lost).
Statement release_stale_leases(const std::string& holder, const std::vector<long long>& keep);
std::vector<OutboxMail> read_leased(const Rows& rows);

// The row's columns a list shows, newest first: id, dealer, kind, state,
// attempts, lead, recipients, queued since, last try or sent, last error.
Statement list_outbox(const std::string& state, const std::optional<std::string>& dealer_id,
                      int limit);

// A failed mail queued anew (from now, attempts from 0), or a queued one
// waiting for its next try sent now. Returns the row's state before, or
// nothing when there is no such mail.
Statement retry_outbox(long long id, core::Instant now);

Statement mark_sent(long long id, core::Instant now);
Statement mark_retry(long long id, core::Instant retry_at, const std::string& error);
Statement mark_failed(long long id, const std::string& error, const std::string& state = "failed");
// Given up: failed with the error, and in the same statement the notice
// about it queued (when there is one to send; never about a notice of
// this kind, so a dead admin address does not loop).
struct FailureNotice {
    std::string message_id; // with <>, deterministic per failed row and try
    std::string mail_from;
    std::vector<std::string> recipients;
    std::string content; // the composed message
};
Statement give_up(long long id, const std::string& error,
                  const std::optional<FailureNotice>& notice, core::Instant now);
inline constexpr const char* delivery_failed_kind = "delivery_failed";

// Temporary failures wait 1, 2, 4 … minutes, at most 2 hours.
std::chrono::seconds retry_delay(int attempts);

} // namespace lr::store
