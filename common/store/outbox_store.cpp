#include "store/outbox_store.hpp"

#include "store/pg_array.hpp"
#include "store/timestamps.hpp"

#include <algorithm>

namespace lr::store {

namespace {

std::optional<core::Instant> epoch(const Rows& rows, int row, int column) {
    if (rows.is_null(row, column))
        return std::nullopt;
    return instant_from_epoch(rows.integer(row, column));
}

} // namespace

Statement lease_outbox(core::Instant now, int limit, int lease_seconds) {
    return {
        "WITH leased AS (UPDATE outbox o SET lease_until = $1::timestamptz + make_interval(secs "
        "=> $3), attempts = attempts + 1 WHERE o.id IN (SELECT id FROM outbox WHERE state = "
        "'queued' AND not_before <= $1 AND (lease_until IS NULL OR lease_until < $1) ORDER BY "
        "not_before, id LIMIT $2 FOR UPDATE SKIP LOCKED) RETURNING o.*) "
        "SELECT m.id, m.dealer_id, m.lead_id, m.kind, m.message_id, m.mail_from, "
        "array_to_string(m.recipients, E'\\n'), m.content, m.attempts, "
        "extract(epoch FROM (m.payload->>'due')::timestamptz)::bigint, "
        "extract(epoch FROM l.received_at)::bigint, coalesce(l.kind, ''), coalesce(l.source, ''), "
        "trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')), "
        "coalesce(c.email, ''), coalesce(c.phone, ''), "
        "trim(concat_ws(' ', l.vehicle->>'make', l.vehicle->>'model') || coalesce(' (' || "
        "coalesce(l.vehicle->>'internal_number', l.vehicle->>'listing_id') || ')', '')), "
        "coalesce(l.message, ''), coalesce(l.assignee, ''), "
        "coalesce(l.trade_in->>'make', ''), coalesce(l.trade_in->>'model', ''), "
        "coalesce(l.trade_in->>'first_registration', ''), coalesce(l.trade_in->>'vin', ''), "
        "(l.trade_in->>'mileage_km')::bigint, "
        "CASE WHEN m.kind = 'tradein_cc' THEN (SELECT raw FROM messages WHERE id = "
        "(m.payload->>'message')::bigint) END "
        "FROM leased m LEFT JOIN leads l ON l.id = m.lead_id "
        "LEFT JOIN contacts c ON c.id = l.contact_id ORDER BY m.not_before, m.id",
        {timestamp_param(now), std::to_string(limit), std::to_string(lease_seconds)}};
}

std::vector<OutboxMail> read_leased(const Rows& rows) {
    std::vector<OutboxMail> out;
    for (int i = 0; i < rows.size(); ++i) {
        OutboxMail mail;
        mail.id = rows.integer(i, 0);
        mail.dealer_id = rows.text(i, 1);
        if (!rows.is_null(i, 2))
            mail.lead_id = rows.integer(i, 2);
        mail.kind = rows.text(i, 3);
        mail.message_id = rows.text(i, 4);
        mail.mail_from = rows.text(i, 5);
        std::string recipients = rows.text(i, 6);
        for (size_t start = 0; start < recipients.size();) {
            size_t end = recipients.find('\n', start);
            mail.recipients.push_back(recipients.substr(start, end - start));
            start = end == std::string::npos ? recipients.size() : end + 1;
        }
        if (!rows.is_null(i, 7))
            mail.content = bytes_from_hex(rows.text(i, 7));
        mail.attempts = static_cast<int>(rows.integer(i, 8));
        mail.due = epoch(rows, i, 9);
        mail.received_at = epoch(rows, i, 10);
        mail.lead_kind = rows.text(i, 11);
        mail.source = rows.text(i, 12);
        mail.contact_name = rows.text(i, 13);
        mail.contact_email = rows.text(i, 14);
        mail.contact_phone = rows.text(i, 15);
        mail.vehicle = rows.text(i, 16);
        mail.message = rows.text(i, 17);
        mail.assignee = rows.text(i, 18);
        mail.trade_in_make = rows.text(i, 19);
        mail.trade_in_model = rows.text(i, 20);
        mail.trade_in_registration = rows.text(i, 21);
        mail.trade_in_vin = rows.text(i, 22);
        if (!rows.is_null(i, 23))
            mail.trade_in_mileage_km = rows.integer(i, 23);
        if (!rows.is_null(i, 24))
            mail.original = bytes_from_hex(rows.text(i, 24));
        out.push_back(std::move(mail));
    }
    return out;
}

Statement mark_sent(long long id, core::Instant now) {
    return {"UPDATE outbox SET state = 'sent', sent_at = $2, lease_until = NULL, last_error = "
            "NULL WHERE id = $1",
            {std::to_string(id), timestamp_param(now)}};
}

Statement mark_retry(long long id, core::Instant retry_at, const std::string& error) {
    return {"UPDATE outbox SET not_before = $2, lease_until = NULL, last_error = $3 WHERE id = $1",
            {std::to_string(id), timestamp_param(retry_at), error}};
}

Statement mark_failed(long long id, const std::string& error, const std::string& state) {
    return {"UPDATE outbox SET state = $3, lease_until = NULL, last_error = $2 WHERE id = $1",
            {std::to_string(id), error, state}};
}

std::chrono::seconds retry_delay(int attempts) {
    int exponent = std::clamp(attempts - 1, 0, 7);
    return std::min(std::chrono::seconds{60 << exponent}, std::chrono::seconds{7200});
}

} // namespace lr::store
