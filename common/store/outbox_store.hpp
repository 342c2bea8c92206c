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
    // For notices: the event's due time and the lead's key data.
    std::optional<core::Instant> due;
    std::optional<core::Instant> received_at;
    std::string lead_kind, source, contact_name, contact_email, contact_phone, vehicle, message,
        assignee;
    // For the trade-in CC: the customer's car and the original message.
    std::string trade_in_make, trade_in_model, trade_in_registration, trade_in_vin;
    std::optional<long long> trade_in_mileage_km;
    std::optional<std::string> original;
};

// Leases up to limit due mails for lease_seconds (SKIP LOCKED).
Statement lease_outbox(core::Instant now, int limit, int lease_seconds);
std::vector<OutboxMail> read_leased(const Rows& rows);

Statement mark_sent(long long id, core::Instant now);
Statement mark_retry(long long id, core::Instant retry_at, const std::string& error);
Statement mark_failed(long long id, const std::string& error, const std::string& state = "failed");

// Temporary failures wait 1, 2, 4 … minutes, at most 2 hours.
std::chrono::seconds retry_delay(int attempts);

} // namespace lr::store
