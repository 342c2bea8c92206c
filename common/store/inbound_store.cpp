#include "store/inbound_store.hpp"

#include "core/schedule.hpp"
#include "store/event_queries.hpp"
#include "store/lead_actions.hpp"
#include "store/pg_array.hpp"
#include "store/timestamps.hpp"
#include "util/random_token.hpp"

namespace lr::store {

namespace {

std::optional<ThreadLead> read_thread_lead(const Rows& rows) {
    if (rows.empty())
        return std::nullopt;
    ThreadLead lead;
    lead.lead_id = rows.integer(0, 0);
    lead.state = rows.text(0, 1);
    lead.assignee = rows.optional_text(0, 2);
    lead.location_id = rows.optional_text(0, 3);
    lead.received_at = instant_from_epoch(rows.integer(0, 4));
    lead.contact_email = rows.optional_text(0, 5);
    return lead;
}

// The lead's columns ThreadLead reads, of the lead a merged one points to.
constexpr const char* thread_lead_columns =
    "t.id, t.state, t.assignee, t.location_id, extract(epoch FROM t.received_at)::bigint, "
    "(SELECT c.email FROM contacts c WHERE c.id = t.contact_id)";
constexpr const char* follow_merge =
    "JOIN leads t ON t.id = coalesce(l.merged_into, l.id) WHERE t.state IN ('new', 'assigned', "
    "'responded') ";

std::vector<std::string> with_and_without_angles(const std::vector<std::string>& ids) {
    std::vector<std::string> out;
    for (const auto& id : ids) {
        out.push_back(id);
        out.push_back("<" + id + ">");
    }
    return out;
}

} // namespace

Result<std::optional<ThreadLead>> find_thread_lead(Connection& connection,
                                                   const std::string& dealer_id,
                                                   const std::vector<std::string>& tags,
                                                   const std::vector<std::string>& references) {
    if (!tags.empty()) {
        auto rows = connection.exec_prepared(
            std::string("SELECT ") + thread_lead_columns + " FROM leads l " + follow_merge +
                "AND l.dealer_id = $1 AND l.token = ANY($2::text[]) "
                "ORDER BY t.id DESC LIMIT 1 FOR UPDATE OF t",
            {dealer_id, array_literal(tags)});
        if (!rows)
            return rows.error();
        if (auto lead = read_thread_lead(*rows)) {
            lead->via_tracking_tag = true;
            return lead;
        }
    }
    if (references.empty())
        return std::optional<ThreadLead>();
    auto rows = connection.exec_prepared(
        std::string("SELECT ") + thread_lead_columns + " FROM leads l " + follow_merge +
            "AND l.dealer_id = $1 AND l.id IN (SELECT lead_id FROM messages WHERE message_id = "
            "ANY($2::text[]) AND dealer_id = $1 UNION SELECT lead_id FROM outbox WHERE "
            "message_id = ANY($2::text[]) AND dealer_id = $1) ORDER BY t.id DESC LIMIT 1 "
            "FOR UPDATE OF t",
        {dealer_id, array_literal(with_and_without_angles(references))});
    if (!rows)
        return rows.error();
    return read_thread_lead(*rows);
}

Result<std::optional<ReplyKeyLead>> find_reply_key_lead(Connection& connection,
                                                        const std::string& dealer_id,
                                                        const std::vector<std::string>& tokens) {
    if (tokens.empty())
        return std::optional<ReplyKeyLead>();
    auto rows = connection.exec_prepared(
        std::string("SELECT ") + thread_lead_columns +
            ", k.user_id, extract(epoch FROM k.renewed_at)::bigint FROM reply_keys k JOIN leads l "
            "ON l.id = k.lead_id " +
            follow_merge +
            "AND k.dealer_id = $1 AND k.token = ANY($2::text[]) ORDER BY k.created_at DESC "
            "LIMIT 1 FOR UPDATE OF t",
        {dealer_id, array_literal(tokens)});
    if (!rows)
        return rows.error();
    auto lead = read_thread_lead(*rows);
    if (!lead)
        return std::optional<ReplyKeyLead>();
    return std::optional(
        ReplyKeyLead{*lead, rows->text(0, 6), instant_from_epoch(rows->integer(0, 7))});
}

Result<std::optional<ThreadLead>>
find_open_lead_of_customer(Connection& connection, const std::string& dealer_id,
                           const std::vector<std::string>& addresses) {
    if (addresses.empty())
        return std::optional<ThreadLead>();
    auto rows = connection.exec_prepared(
        std::string("SELECT ") + thread_lead_columns +
            " FROM leads l JOIN contacts c ON c.id = l.contact_id " + follow_merge +
            "AND l.dealer_id = $1 AND c.email = ANY($2::text[]) ORDER "
            "BY t.id DESC LIMIT 1 FOR UPDATE OF t",
        {dealer_id, array_literal(addresses)});
    if (!rows)
        return rows.error();
    return read_thread_lead(*rows);
}

Result<std::optional<StoredMessage>> find_stored_message(Connection& connection,
                                                         const std::string& dealer_id,
                                                         const std::string& message_id) {
    if (message_id.empty())
        return std::optional<StoredMessage>();
    auto rows = connection.exec_prepared(
        "SELECT m.kind, m.reason, m.lead_id, l.location_id FROM messages m LEFT JOIN leads l ON "
        "l.id = m.lead_id WHERE m.dealer_id = $1 AND m.message_id = $2 AND m.received_at > "
        "now() - interval '7 days' ORDER BY m.id LIMIT 1",
        {dealer_id, message_id});
    if (!rows)
        return rows.error();
    if (rows->empty())
        return std::optional<StoredMessage>();
    StoredMessage stored;
    stored.kind = rows->text(0, 0);
    stored.reason = rows->optional_text(0, 1);
    if (!rows->is_null(0, 2))
        stored.lead_id = rows->integer(0, 2);
    stored.location_id = rows->optional_text(0, 3);
    return std::optional(stored);
}

Result<long long> insert_message(Connection& connection, const InboundMessage& message,
                                 const std::string& kind, const std::optional<std::string>& reason,
                                 std::optional<long long> lead_id) {
    auto rows = connection.exec_prepared(
        "INSERT INTO messages (dealer_id, location_id, queue_id, message_id, envelope_from, "
        "recipients, received_at, kind, reason, lead_id, classification, raw) VALUES ($1, $2, "
        "$3, $4, $5, $6::text[], $7, $8, $9, $10, $11::jsonb, $12::bytea) RETURNING id",
        {message.dealer_id, message.location_id, message.queue_id,
         message.message_id.empty() ? Param() : Param(message.message_id), message.envelope_from,
         array_literal(message.recipients), timestamp_param(message.received_at), kind, reason,
         lead_id ? Param(std::to_string(*lead_id)) : Param(), message.classification_json,
         Param::borrowed_bytes(message.raw)});
    if (!rows)
        return rows.error();
    return rows->integer(0, 0);
}

Result<long long> store_customer_reply(Connection& connection, const core::Dealer& dealer,
                                       const InboundMessage& message, const ThreadLead& lead,
                                       core::Instant now) {
    auto row = insert_message(connection, message, "reply", std::nullopt, lead.lead_id);
    if (!row)
        return row.error();
    if (!lead.assignee || lead.state == "new")
        return *row; // not assigned yet: the assignment notice will carry it
    const bool restart = lead.state == "responded";
    int chain = 0;
    if (restart) {
        auto next = next_chain(connection, lead.lead_id);
        if (!next)
            return next.error();
        chain = *next;
    }
    std::vector<LeadEvent> events;
    for (auto& event :
         core::customer_message_events(dealer, message.received_at, now, *lead.assignee, restart))
        events.push_back({lead.lead_id, std::move(event), chain});
    if (!events.empty())
        if (auto inserted = connection.exec(insert_events(events)); !inserted)
            return inserted.error();
    if (restart)
        if (auto reopened = connection.exec_prepared(
                "UPDATE leads SET state = 'assigned' WHERE id = $1 AND state = 'responded'",
                {std::to_string(lead.lead_id)});
            !reopened)
            return reopened.error();
    return *row;
}

Result<long long> store_reaction(Connection& connection, const InboundMessage& message,
                                 const ThreadLead& lead, const std::string& user_id,
                                 core::Instant now) {
    auto row = insert_message(connection, message, "reaction", std::nullopt, lead.lead_id);
    if (!row)
        return row.error();
    if (lead.state == "new")
        return *row; // nobody holds it yet: nothing to cancel
    if (auto reacted = mark_responded(connection, lead.lead_id, message.dealer_id,
                                      Actor{user_id, Channel::mail}, now);
        !reacted)
        return reacted.error();
    return *row;
}

Result<std::optional<VehicleMatch>> find_vehicle(Connection& connection,
                                                 const std::string& dealer_id,
                                                 const std::optional<std::string>& internal_number,
                                                 const std::optional<std::string>& listing_id,
                                                 const std::optional<std::string>& vin) {
    if (!internal_number && !listing_id && !vin)
        return std::optional<VehicleMatch>();
    auto rows = connection.exec_prepared(
        "SELECT v.id, v.location_id, v.condition, v.make, v.model FROM vehicles v WHERE "
        "v.dealer_id = $1 AND (upper(v.internal_number) = upper($2) OR upper(v.vin) = upper($4) "
        "OR v.id IN (SELECT vehicle_id FROM vehicle_listings WHERE listing_id = $3)) ORDER BY "
        "upper(v.internal_number) = upper($2) DESC NULLS LAST, v.id LIMIT 1",
        {dealer_id, internal_number, listing_id, vin});
    if (!rows)
        return rows.error();
    if (rows->empty())
        return std::optional<VehicleMatch>();
    VehicleMatch match;
    match.id = rows->integer(0, 0);
    match.location_id = rows->optional_text(0, 1);
    match.condition = rows->optional_text(0, 2);
    match.make = rows->optional_text(0, 3);
    match.model = rows->optional_text(0, 4);
    return std::optional(match);
}

namespace {

// Contact, lead and message in one statement: one round trip while the
// sender waits. No NOTIFY in here: the caller wakes the daemon after the
// commit (see milter/notifier.hpp for why).
const std::string new_lead_sql =
    "WITH c AS (INSERT INTO contacts (dealer_id, email, phone, salutation, first_name, "
    "last_name) SELECT $1, $2, $3, $4, $5, $6 WHERE NOT EXISTS (SELECT 1 FROM messages "
    "WHERE dealer_id = $1 AND message_id = $18 AND received_at > now() - interval '7 days') "
    "RETURNING id), "
    "inserted AS (INSERT INTO leads (dealer_id, location_id, kind, source, provider, "
    "contact_id, vehicle_id, vehicle, trade_in, message, token, received_at) SELECT $1, $7, "
    "$8, $9, $10, c.id, $11, $12::jsonb, $13::jsonb, $14, $15, $16 FROM c RETURNING id), "
    "m AS (INSERT INTO messages (dealer_id, location_id, queue_id, message_id, "
    "envelope_from, recipients, received_at, kind, lead_id, classification, raw) SELECT $1, "
    "$7, $17, $18, $19, $20::text[], $16, $8, inserted.id, $21::jsonb, $22::bytea FROM "
    "inserted RETURNING id, lead_id) "
    "SELECT lead_id, id FROM m";

std::vector<Param> new_lead_params(const InboundMessage& message, const NewLead& lead) {
    return {message.dealer_id,
            lead.email,
            lead.phone,
            lead.salutation,
            lead.first_name,
            lead.last_name,
            message.location_id,
            lead.kind,
            lead.source,
            lead.provider,
            lead.vehicle_id ? Param(std::to_string(*lead.vehicle_id)) : Param(),
            lead.vehicle_json,
            lead.trade_in_json,
            lead.message,
            util::random_hex(8), // the tracking tag mailbox+<token>@domain
            timestamp_param(message.received_at),
            message.queue_id,
            message.message_id.empty() ? Param() : Param(message.message_id),
            message.envelope_from,
            array_literal(message.recipients),
            message.classification_json,
            Param::borrowed_bytes(message.raw)};
}

std::optional<StoredLead> stored_lead_of(const Rows& rows) {
    if (rows.empty())
        return std::nullopt; // stored before: a sender's retry
    StoredLead stored;
    stored.lead_id = rows.integer(0, 0);
    stored.message_row = rows.integer(0, 1);
    return stored;
}

} // namespace

Result<std::optional<StoredLead>>
store_new_lead(Connection& connection, const InboundMessage& message, const NewLead& lead) {
    auto rows = connection.exec_prepared(new_lead_sql, new_lead_params(message, lead));
    if (!rows)
        return rows.error();
    return stored_lead_of(*rows);
}

Result<std::vector<std::optional<StoredLead>>>
store_new_leads(Connection& connection, const std::vector<NewLeadRequest>& requests) {
    std::vector<std::vector<Param>> param_sets;
    param_sets.reserve(requests.size());
    for (const auto& request : requests)
        param_sets.push_back(new_lead_params(*request.message, *request.lead));
    auto results = connection.exec_prepared_batch(new_lead_sql, param_sets);
    if (!results)
        return results.error();
    std::vector<std::optional<StoredLead>> out;
    for (const auto& rows : *results)
        out.push_back(stored_lead_of(rows));
    return out;
}

Result<void> queue_mail(Connection& connection, const QueuedMail& mail, core::Instant now) {
    auto queued = connection.exec_prepared(
        "INSERT INTO outbox (dealer_id, lead_id, kind, message_id, mail_from, recipients, "
        "content, payload, not_before) VALUES ($1, $2, $3, $4, $5, $6::text[], $7::bytea, "
        "$8::jsonb, $9) ON CONFLICT (message_id) DO NOTHING",
        {mail.dealer_id, mail.lead_id ? Param(std::to_string(*mail.lead_id)) : Param(), mail.kind,
         mail.message_id, mail.mail_from, array_literal(mail.recipients),
         mail.content ? Param(hex_bytes(*mail.content)) : Param(), mail.payload_json,
         timestamp_param(now)});
    if (!queued)
        return queued.error();
    return {};
}

} // namespace lr::store
