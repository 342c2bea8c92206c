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

// A lead's vehicle in a line, "Volkswagen Golf (HH-2231)"; lead: its alias.
std::string vehicle_text(const std::string& lead) {
    return "trim(concat_ws(' ', " + lead + ".vehicle->>'make', " + lead +
           ".vehicle->>'model') || coalesce(' (' || coalesce(" + lead +
           ".vehicle->>'internal_number', " + lead + ".vehicle->>'listing_id') || ')', ''))";
}

std::string contact_name(const std::string& contact) {
    return "trim(coalesce(" + contact + ".first_name, '') || ' ' || coalesce(" + contact +
           ".last_name, ''))";
}

// A digest's leads (issue #18), in the payload's order, with what each
// entry shows and the user's reply address for each lead.
std::string digest_entries() {
    return "CASE WHEN m.kind = 'digest' THEN (SELECT json_agg(json_build_object("
           "'event', x.value->>'event', "
           "'due', extract(epoch FROM (x.value->>'due')::timestamptz)::bigint, "
           "'lead', dl.id, 'received', extract(epoch FROM dl.received_at)::bigint, "
           "'kind', dl.kind, 'source', dl.source, 'name', " +
           contact_name("dc") +
           ", 'email', coalesce(dc.email, ''), 'phone', coalesce(dc.phone, ''), 'vehicle', " +
           vehicle_text("dl") +
           ", 'message', coalesce(dl.message, ''), 'assignee', coalesce(dl.assignee, ''), "
           "'state', dl.state, 'version', dl.version, 'reply_key', coalesce((SELECT k.token "
           "FROM reply_keys k WHERE k.lead_id = dl.id AND k.user_id = m.user_id), '')) "
           "ORDER BY x.ordinality) FROM jsonb_array_elements(m.payload->'digest') WITH "
           "ORDINALITY AS x JOIN leads dl ON dl.id = (x.value->>'lead')::bigint "
           "LEFT JOIN contacts dc ON dc.id = dl.contact_id)::text END";
}

} // namespace

Statement lease_outbox(core::Instant now, int limit, int lease_seconds,
                       const std::vector<std::string>& dealer_ids, const std::string& holder) {
    return {
        std::string(
            "WITH leased AS (UPDATE outbox o SET lease_until = $1::timestamptz + "
            "make_interval(secs "
            "=> $3), attempts = attempts + 1, leased_by = $5 WHERE o.id IN (SELECT id FROM outbox "
            "WHERE state = ") +
            "'queued' AND not_before <= $1 AND (lease_until IS NULL OR lease_until < $1) AND "
            "dealer_id = ANY($4::text[]) ORDER BY "
            "not_before, id LIMIT $2 FOR UPDATE SKIP LOCKED) RETURNING o.*) "
            "SELECT m.id, m.dealer_id, m.lead_id, m.kind, m.message_id, m.mail_from, "
            "array_to_string(m.recipients, E'\\n'), m.content, m.attempts, "
            "extract(epoch FROM m.queued_since)::bigint, "
            "extract(epoch FROM (m.payload->>'due')::timestamptz)::bigint, "
            "extract(epoch FROM l.received_at)::bigint, coalesce(l.kind, ''), coalesce(l.source, "
            "''), " +
            contact_name("c") + ", coalesce(c.email, ''), coalesce(c.phone, ''), " +
            vehicle_text("l") +
            ", "
            "coalesce(l.message, ''), coalesce(l.assignee, ''), "
            "coalesce(l.trade_in->>'make', ''), coalesce(l.trade_in->>'model', ''), "
            "coalesce(l.trade_in->>'first_registration', ''), coalesce(l.trade_in->>'vin', ''), "
            "(l.trade_in->>'mileage_km')::bigint, "
            "CASE WHEN m.kind = 'tradein_cc' THEN (SELECT raw FROM messages WHERE id = "
            "(m.payload->>'message')::bigint) END, "
            // The reply address of the notice's user (reply_keys).
            "coalesce((SELECT k.token FROM reply_keys k WHERE k.lead_id = m.lead_id AND "
            "k.user_id = m.user_id), ''), coalesce(m.user_id, ''), coalesce(l.state, ''), "
            "coalesce(l.version, 0), " +
            digest_entries() +
            " "
            "FROM leased m LEFT JOIN leads l ON l.id = m.lead_id "
            "LEFT JOIN contacts c ON c.id = l.contact_id ORDER BY m.not_before, m.id",
        {timestamp_param(now), std::to_string(limit), std::to_string(lease_seconds),
         array_literal(dealer_ids), holder}};
}

Statement lease_holders(const std::string& prefix, core::Instant now) {
    return {"SELECT DISTINCT leased_by FROM outbox WHERE state = 'queued' AND lease_until > $2 "
            "AND starts_with(leased_by, $1)",
            {prefix, timestamp_param(now)}};
}

Statement release_leases(const std::vector<std::string>& holders) {
    return {"UPDATE outbox SET lease_until = NULL WHERE state = 'queued' AND "
            "leased_by = ANY($1::text[]) AND lease_until IS NOT NULL",
            {array_literal(holders)}};
}

Statement release_stale_leases(const std::string& holder, const std::vector<long long>& keep) {
    return {"UPDATE outbox SET lease_until = NULL WHERE state = 'queued' AND leased_by = $1 AND "
            "lease_until IS NOT NULL AND NOT (id = ANY($2::bigint[]))",
            {holder, array_literal(keep)}};
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
        mail.queued_since = instant_from_epoch(rows.integer(i, 9));
        mail.due = epoch(rows, i, 10);
        mail.received_at = epoch(rows, i, 11);
        mail.lead_kind = rows.text(i, 12);
        mail.source = rows.text(i, 13);
        mail.contact_name = rows.text(i, 14);
        mail.contact_email = rows.text(i, 15);
        mail.contact_phone = rows.text(i, 16);
        mail.vehicle = rows.text(i, 17);
        mail.message = rows.text(i, 18);
        mail.assignee = rows.text(i, 19);
        mail.trade_in_make = rows.text(i, 20);
        mail.trade_in_model = rows.text(i, 21);
        mail.trade_in_registration = rows.text(i, 22);
        mail.trade_in_vin = rows.text(i, 23);
        if (!rows.is_null(i, 24))
            mail.trade_in_mileage_km = rows.integer(i, 24);
        if (!rows.is_null(i, 25))
            mail.original = bytes_from_hex(rows.text(i, 25));
        mail.reply_key = rows.text(i, 26);
        mail.user_id = rows.text(i, 27);
        mail.lead_state = rows.text(i, 28);
        mail.lead_version = rows.integer(i, 29);
        if (!rows.is_null(i, 30))
            mail.digest = rows.text(i, 30);
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

Statement give_up(long long id, const std::string& error,
                  const std::optional<FailureNotice>& notice, core::Instant now) {
    return {"WITH failed AS (UPDATE outbox SET state = 'failed', lease_until = NULL, "
            "last_error = $2 WHERE id = $1 AND state = 'queued' RETURNING dealer_id, lead_id, "
            "kind) "
            "INSERT INTO outbox (dealer_id, lead_id, kind, message_id, mail_from, recipients, "
            "content, payload, not_before) SELECT dealer_id, lead_id, $3, $4, $5, $6::text[], "
            "$7::bytea, jsonb_build_object('failed', $1::bigint), $8 FROM failed "
            "WHERE $4::text IS NOT NULL AND kind <> $3 ON CONFLICT (message_id) DO NOTHING",
            {std::to_string(id), error, std::string(delivery_failed_kind),
             notice ? Param(notice->message_id) : Param(),
             notice ? Param(notice->mail_from) : Param(),
             notice ? Param(array_literal(notice->recipients)) : Param(),
             notice ? Param(hex_bytes(notice->content)) : Param(), timestamp_param(now)}};
}

Statement list_outbox(const std::string& state, const std::optional<std::string>& dealer_id,
                      int limit) {
    return {"SELECT id, dealer_id, kind, state, attempts, coalesce(lead_id::text, '-'), "
            "array_to_string(recipients, ', '), queued_since, coalesce(sent_at, not_before), "
            "coalesce(last_error, '') FROM outbox WHERE state = $1 AND ($2::text IS NULL OR "
            "dealer_id = $2) ORDER BY id DESC LIMIT $3",
            {state, dealer_id ? Param(*dealer_id) : Param(), std::to_string(limit)}};
}

Statement retry_outbox(long long id, core::Instant now) {
    return {"WITH before AS (SELECT id, state FROM outbox WHERE id = $1 FOR UPDATE), "
            "again AS (UPDATE outbox o SET state = 'queued', not_before = $2, lease_until = NULL, "
            "queued_since = CASE WHEN o.state = 'failed' THEN $2 ELSE o.queued_since END, "
            "attempts = CASE WHEN o.state = 'failed' THEN 0 ELSE o.attempts END "
            "FROM before b WHERE o.id = b.id AND b.state IN ('failed', 'queued') RETURNING o.id) "
            "SELECT state FROM before",
            {std::to_string(id), timestamp_param(now)}};
}

std::chrono::seconds retry_delay(int attempts) {
    int exponent = std::clamp(attempts - 1, 0, 7);
    return std::min(std::chrono::seconds{60 << exponent}, std::chrono::seconds{7200});
}

} // namespace lr::store
