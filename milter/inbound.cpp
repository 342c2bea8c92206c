#include "inbound.hpp"

#include "classify/classifier.hpp"
#include "core/address.hpp"
#include "core/message_id.hpp"
#include "core/reply_address.hpp"
#include "core/reply_command.hpp"
#include "core/sender_proof.hpp"
#include "mail/compose.hpp"
#include "mail/notice_text.hpp"
#include "reply_commands.hpp"
#include "store/channels.hpp"
#include "store/inbound_store.hpp"
#include "util/json.hpp"
#include "util/random_token.hpp"

#include <semaphore>

namespace lr::milter {

namespace {

// Messages above this size are stored apart from the group commit, one at
// a time (large_stores), each on a connection closed afterwards.
constexpr size_t large_message_bytes = 8 << 20;
std::counting_semaphore<> large_stores(1);
struct LargeStoreSlot {
    LargeStoreSlot() { large_stores.acquire(); }
    ~LargeStoreSlot() { large_stores.release(); }
    LargeStoreSlot(const LargeStoreSlot&) = delete;
    LargeStoreSlot& operator=(const LargeStoreSlot&) = delete;
};

struct Classified {
    std::optional<classify::MailView> view;
    classify::Record record;
};

Classified classify_message(const MessageState& state) {
    Classified out;
    auto view = classify::read_mail(state.raw);
    if (!view) {
        out.record.kind = "unassignable";
        out.record.reason = "no_contact";
        return out;
    }
    out.view = std::move(*view);
    out.record =
        state.runtime->classifier.classify(*out.view, classify::Envelope{state.envelope_from});
    return out;
}

const core::User* user_by_address(const core::Dealer& dealer, const std::string& address) {
    const std::string canonical = core::canonical_address(address);
    for (const auto& user : dealer.users)
        if (core::canonical_address(user.email) == canonical)
            return &user;
    return nullptr;
}

std::vector<std::string> addresses_of(const std::vector<classify::MailAddress>& list) {
    std::vector<std::string> out;
    for (const auto& address : list)
        out.push_back(core::canonical_address(address.address));
    return out;
}

store::InboundMessage inbound_of(const MessageState& state, const Classified& classified,
                                 const core::Dealer& dealer, const core::Location* location,
                                 core::Instant now) {
    store::InboundMessage message;
    message.dealer_id = dealer.id;
    if (location)
        message.location_id = location->id;
    message.queue_id = state.queue_id;
    if (classified.view && !classified.view->message_id.empty())
        message.message_id = "<" + classified.view->message_id + ">";
    message.envelope_from = state.envelope_from;
    message.recipients = state.recipients;
    message.raw = state.raw;
    message.classification_json = classify::to_json(classified.record, false);
    message.received_at = now;
    return message;
}

// The notice of SPEC §5.4, composed now and sent by the daemon at once;
// false when the dealer gets none for this mail.
Result<bool> queue_unassignable_notice(store::Connection& connection, const core::Dealer& dealer,
                                       const core::Location& location, const Classified& classified,
                                       const std::string& reason, const std::string& envelope_from,
                                       long long message_row, core::Instant now) {
    if (!dealer.unassigned_notify || reason == "spam")
        return false;
    std::string sender = envelope_from.empty() ? "<>" : envelope_from;
    std::string subject;
    if (classified.view) {
        if (!classified.view->from.empty())
            sender = classified.view->from.front().address;
        subject = classified.view->subject;
    }
    auto text = mail::unassignable_text(dealer, sender, subject, reason, now);
    mail::OutgoingMail notice;
    notice.from_name = dealer.from_name;
    notice.from_address = location.mailbox;
    notice.to = {*dealer.unassigned_notify};
    notice.subject = text.subject;
    notice.message_id = core::outgoing_message_id("unassignable", message_row,
                                                  util::random_hex(core::outgoing_token_bytes),
                                                  core::domain_of(location.mailbox));
    notice.date = now;
    notice.text = text.text;
    notice.html = text.html;
    store::QueuedMail queued;
    queued.dealer_id = dealer.id;
    queued.kind = "unassignable";
    queued.message_id = "<" + notice.message_id + ">";
    queued.mail_from = location.mailbox;
    queued.recipients = notice.to;
    queued.content = mail::compose(notice);
    queued.payload_json = json_text(Json{{"message", message_row}});
    if (auto stored = store::queue_mail(connection, queued, now); !stored)
        return stored.error();
    return true;
}

// Trade-in CC (SPEC §5.3) for a dealer with trade_in_cc: the daemon builds
// the mail with the PDF and the original attached when it sends it, so the
// milter only records it.
Result<void> queue_trade_in_cc(store::Connection& connection, const core::Dealer& dealer,
                               const core::Location& location, long long lead_id,
                               long long message_row, core::Instant now) {
    store::QueuedMail queued;
    queued.dealer_id = dealer.id;
    queued.lead_id = lead_id;
    queued.kind = "tradein_cc";
    queued.message_id = "<" +
                        core::outgoing_message_id("tradein-cc", message_row,
                                                  util::random_hex(core::outgoing_token_bytes),
                                                  core::domain_of(location.mailbox)) +
                        ">";
    queued.mail_from = location.mailbox;
    queued.recipients = {*dealer.trade_in_cc};
    queued.payload_json = json_text(Json{{"message", message_row}});
    return store::queue_mail(connection, queued, now);
}

store::NewLead new_lead_of(const classify::Record& record,
                           const std::optional<store::VehicleMatch>& vehicle) {
    store::NewLead lead;
    lead.kind = record.kind;
    lead.source = record.source;
    lead.provider = record.provider;
    lead.email = record.contact.email;
    lead.phone = record.contact.phone;
    lead.salutation = record.contact.salutation;
    lead.first_name = record.contact.first_name;
    lead.last_name = record.contact.last_name;
    classify::Vehicle completed = record.vehicle;
    if (vehicle) {
        lead.vehicle_id = vehicle->id;
        // The inventory knows what the mail may not say (group matching).
        if (!completed.condition)
            completed.condition = vehicle->condition;
        if (!completed.make)
            completed.make = vehicle->make;
        if (!completed.model)
            completed.model = vehicle->model;
    }
    lead.vehicle_json = classify::to_json(completed);
    lead.trade_in_json = record.trade_in ? classify::to_json(*record.trade_in) : "null";
    lead.message = record.message;
    return lead;
}

// Stored without a lead, announced to unassigned_notify (SPEC §5.4), and
// forwarded to the mailbox's target.
Result<DealerOutcome>
store_unassignable(store::Connection& connection, const MessageState& state,
                   const core::Dealer& dealer, const core::Location& mailbox_location,
                   const DealerRecipients& group, const Classified& classified,
                   const store::InboundMessage& message, const std::string& reason,
                   core::Instant now, DealerOutcome outcome) {
    outcome.kind = "unassignable";
    outcome.reason = reason;
    auto row = store::insert_message(connection, message, "unassignable", reason, std::nullopt);
    if (!row)
        return row.error();
    auto queued = queue_unassignable_notice(connection, dealer, mailbox_location, classified,
                                            reason, state.envelope_from, *row, now);
    if (!queued)
        return queued.error();
    if (*queued)
        outcome.wakes.insert(store::channel::outbox);
    outcome.envelope = plan_forwarding(dealer, group.recipients, std::nullopt);
    return outcome;
}

// A person's mail, not an auto-reply or a bounce: only that may command.
bool written_by_a_person(const classify::Record& record) {
    return record.kind != "unassignable" || !record.reason || *record.reason == "no_contact";
}

Result<DealerOutcome> store_for_dealer(store::Transaction& transaction, const MessageState& state,
                                       const DealerRecipients& group, const Classified& classified,
                                       core::Instant now) {
    store::Connection& connection = transaction.connection();
    const core::Dealer& dealer = *group.dealer;
    DealerOutcome outcome;
    outcome.dealer = &dealer;
    const core::Location* mailbox_location = group.recipients.front().location;
    auto message = inbound_of(state, classified, dealer, mailbox_location, now);

    if (auto stored = store::find_stored_message(connection, dealer.id, message.message_id);
        !stored) {
        return stored.error();
    } else if (*stored) {
        outcome.duplicate = true;
        outcome.kind = (*stored)->kind;
        outcome.reason = (*stored)->reason;
        outcome.lead_id = (*stored)->lead_id;
        outcome.envelope = plan_forwarding(dealer, group.recipients, (*stored)->location_id);
        return outcome;
    }

    std::vector<std::string> references;
    if (classified.view)
        references = classified.view->references;
    std::vector<std::string> reply_tokens, tracking_tags;
    for (const auto& tag : group.tags) {
        if (auto token = core::reply_token_of_tag(tag))
            reply_tokens.push_back(*token);
        else
            tracking_tags.push_back(tag);
    }
    auto reply_key = store::find_reply_key_lead(connection, dealer.id, reply_tokens);
    if (!reply_key)
        return reply_key.error();
    auto thread = store::find_thread_lead(connection, dealer.id, tracking_tags, references);
    if (!thread)
        return thread.error();

    const std::string from = classified.view && !classified.view->from.empty()
                                 ? core::canonical_address(classified.view->from.front().address)
                                 : std::string();
    core::SenderEvidence evidence;
    evidence.from = from;
    if (*reply_key)
        evidence.reply_key_user = (*reply_key)->user_id;
    evidence.smtp_login = state.smtp_login;
    evidence.trusted_results =
        core::sort_auth_headers(state.auth_headers,
                                state.runtime->config->system.trusted_authserv_ids)
            .trusted;
    const auto author =
        core::check_author(dealer, state.runtime->config->reaction_proofs(dealer), evidence);

    // A reply command (issue #15): at a user's reply address, in a mail a
    // person wrote, proven to be that user's.
    if (*reply_key && classified.view && written_by_a_person(classified.record)) {
        auto parsed = core::parse_reply_command(classified.view->own_text(), dealer.timezone, now);
        if (parsed.kind != core::ParsedReply::Kind::none) {
            const auto& key = **reply_key;
            const bool by_the_user = author.proven() && author.claimed->id == key.user_id;
            if (by_the_user) {
                CommandRequest request{
                    state.runtime->config.get(), &dealer, mailbox_location, &key, std::move(parsed),
                    classified.view->message_id, now};
                auto done = carry_out_command(transaction, request, message);
                if (!done)
                    return done.error();
                outcome.kind = "command";
                outcome.reason = done->result;
                outcome.lead_id = key.lead.lead_id;
                outcome.proof = core::proof_name(author.proof);
                outcome.command = done->journal;
                if (done->answered)
                    outcome.wakes.insert(store::channel::outbox);
                outcome.envelope = plan_forwarding(dealer, group.recipients, key.lead.location_id);
                return outcome;
            }
            outcome.command = "lead " + std::to_string(key.lead.lead_id) + ": command \"" +
                              parsed.line + "\" at " + key.user_id + "'s reply address ignored: " +
                              (author.proven() ? "written by " + author.claimed->id
                                               : "the sender is not proven to be " + key.user_id);
            if (author.proven()) {
                // Another user, proven, at this user's address: nothing
                // happens to the lead; the mail is kept and forwarded.
                auto row = store::insert_message(connection, message, "command",
                                                 "not_the_addressee", key.lead.lead_id);
                if (!row)
                    return row.error();
                outcome.kind = "command";
                outcome.reason = "not_the_addressee";
                outcome.lead_id = key.lead.lead_id;
                outcome.envelope = plan_forwarding(dealer, group.recipients, key.lead.location_id);
                return outcome;
            }
        }
    }

    // The lead a user's mail is about (SPEC §5.6): the reply address's, the
    // one it threads to, else the open lead of a customer it was sent to.
    // A user's out-of-office reply or a bounce is about no lead: it is no
    // reaction and stays what the classifier says.
    std::optional<store::ThreadLead> users_lead;
    const bool by_a_person = written_by_a_person(classified.record);
    if (*reply_key && by_a_person)
        users_lead = (*reply_key)->lead;
    else if (author.claimed && by_a_person)
        users_lead = *thread;
    if (author.claimed && by_a_person && !users_lead) {
        auto customers = addresses_of(classified.view->to);
        auto cc = addresses_of(classified.view->cc);
        customers.insert(customers.end(), cc.begin(), cc.end());
        auto found = store::find_open_lead_of_customer(connection, dealer.id, customers);
        if (!found)
            return found.error();
        users_lead = *found;
    }
    if (users_lead && author.proven()) {
        if (auto stored =
                store::store_reaction(connection, message, *users_lead, author.claimed->id, now);
            !stored)
            return stored.error();
        outcome.kind = "reaction";
        outcome.lead_id = users_lead->lead_id;
        outcome.proof = core::proof_name(author.proof);
        outcome.envelope = plan_forwarding(dealer, group.recipients, users_lead->location_id);
        return outcome;
    }
    if (users_lead) {
        // Claimed, not proven (or a stranger at a user's reply address):
        // the lead is not silenced, the dealer hears of the mail.
        outcome.doubt =
            "lead " + std::to_string(users_lead->lead_id) + ": " +
            (author.claimed
                 ? author.doubt
                 : "sent to " + (*reply_key)->user_id + "'s reply address from " +
                       (from.empty() ? std::string("nobody") : from) + ", who is not that user");
        return store_unassignable(connection, state, dealer, *mailbox_location, group, classified,
                                  message, "unverified_sender", now, std::move(outcome));
    }
    // A customer's answer: by the tracking address only the customer was
    // sent, or by a Message-ID when it comes from the lead's contact.
    if (*thread && ((*thread)->via_tracking_tag || (!from.empty() && (*thread)->contact_email &&
                                                    *(*thread)->contact_email == from))) {
        const auto& lead = **thread;
        if (auto stored = store::store_customer_reply(connection, dealer, message, lead, now);
            !stored)
            return stored.error();
        outcome.kind = "reply";
        outcome.lead_id = lead.lead_id;
        outcome.wakes.insert(store::channel::schedule);
        outcome.envelope = plan_forwarding(dealer, group.recipients, lead.location_id);
        return outcome;
    }

    const classify::Record& record = classified.record;
    outcome.kind = record.kind;
    outcome.reason = record.reason;
    if (record.kind == "unassignable")
        return store_unassignable(connection, state, dealer, *mailbox_location, group, classified,
                                  message, record.reason.value_or("no_contact"), now,
                                  std::move(outcome));

    auto vehicle = store::find_vehicle(connection, dealer.id, record.vehicle.internal_number,
                                       record.vehicle.listing_id, record.vehicle.vin);
    if (!vehicle)
        return vehicle.error();
    std::optional<std::string> vehicle_location = *vehicle ? (*vehicle)->location_id : std::nullopt;
    const core::Location* location = effective_location(dealer, group.recipients, vehicle_location);
    if (location)
        message.location_id = location->id;
    auto stored = store::store_new_lead(connection, message, new_lead_of(record, *vehicle));
    if (!stored)
        return stored.error();
    if (!*stored) // stored by a concurrent retry since the check above: retry later
        return Error{ErrorCode::conflict, "message " + message.message_id + " stored meanwhile"};
    outcome.lead_id = (*stored)->lead_id;
    outcome.wakes.insert(store::channel::new_lead);
    if (record.kind == "tradein" && dealer.trade_in_cc) {
        if (auto queued = queue_trade_in_cc(connection, dealer, *mailbox_location,
                                            (*stored)->lead_id, (*stored)->message_row, now);
            !queued)
            return queued.error();
        outcome.wakes.insert(store::channel::outbox);
    }
    outcome.envelope = plan_forwarding(dealer, group.recipients, vehicle_location);
    return outcome;
}

// The common case in one statement outside a transaction, committed with
// whatever other new leads arrive at the same time (LeadCommitter): a new
// lead of one dealer that answers nothing, names no dealer vehicle and
// needs no CC. Empty when the message is not such a case or was stored
// before; the full path then decides.
Result<std::optional<Outcome>> store_plain_lead(LeadCommitter& committer, const MessageState& state,
                                                const Classified& classified, core::Instant now) {
    const classify::Record& record = classified.record;
    if (state.ours.size() != 1 || !classified.view || !classified.view->references.empty())
        return std::optional<Outcome>();
    const DealerRecipients& group = state.ours.front();
    const core::Dealer& dealer = *group.dealer;
    const bool plain_kind =
        record.kind == "lead" || (record.kind == "tradein" && !dealer.trade_in_cc);
    const bool names_vehicle =
        record.vehicle.internal_number || record.vehicle.listing_id || record.vehicle.vin;
    const bool from_user = !classified.view->from.empty() &&
                           user_by_address(dealer, classified.view->from.front().address);
    if (!plain_kind || names_vehicle || from_user || !group.tags.empty())
        return std::optional<Outcome>();
    const core::Location* location = group.recipients.front().location;
    auto message = inbound_of(state, classified, dealer, location, now);
    auto stored = committer.store(message, new_lead_of(record, std::nullopt));
    if (!stored)
        return stored.error();
    if (!*stored)
        return std::optional<Outcome>();
    Outcome outcome;
    outcome.message_id = classified.view->message_id;
    DealerOutcome dealer_outcome;
    dealer_outcome.dealer = &dealer;
    dealer_outcome.kind = record.kind;
    dealer_outcome.lead_id = (*stored)->lead_id;
    dealer_outcome.wakes.insert(store::channel::new_lead);
    dealer_outcome.envelope = plan_forwarding(dealer, group.recipients, std::nullopt);
    outcome.dealers.push_back(std::move(dealer_outcome));
    return std::optional(std::move(outcome));
}

} // namespace

std::string Outcome::lead_class() const {
    if (dealers.empty())
        return "none";
    const auto& first = dealers.front();
    return first.reason ? first.kind + "; reason=" + *first.reason : first.kind;
}

std::set<std::string> Outcome::wakes() const {
    std::set<std::string> out;
    for (const auto& dealer : dealers)
        out.insert(dealer.wakes.begin(), dealer.wakes.end());
    return out;
}

Result<Outcome> store_message(const MessageState& state, store::ConnectionPool& pool,
                              LeadCommitter& committer, core::Instant now) {
    Classified classified = classify_message(state);
    const bool large = state.raw.size() > large_message_bytes;
    if (!large) {
        auto plain = store_plain_lead(committer, state, classified, now);
        if (!plain)
            return plain.error(); // nothing written
        if (*plain)
            return std::move(**plain);
    }
    Outcome outcome;
    if (classified.view)
        outcome.message_id = classified.view->message_id;
    // libpq copies a statement's parameters into the connection's send
    // buffer and keeps that buffer as large as it once grew: a large
    // message is sent by one at a time, and its connection is closed
    // afterwards instead of going back to the pool with 40 MB attached.
    std::optional<LargeStoreSlot> large_slot;
    if (large)
        large_slot.emplace();
    auto connection = pool.take();
    if (!connection)
        return connection.error();
    {
        auto transaction = store::Transaction::begin(**connection);
        if (!transaction)
            return transaction.error();
        for (const auto& group : state.ours) {
            auto dealer_outcome = store_for_dealer(*transaction, state, group, classified, now);
            if (!dealer_outcome) {
                connection->discard(); // rolled back by the transaction; then closed
                return dealer_outcome.error();
            }
            outcome.dealers.push_back(std::move(*dealer_outcome));
        }
        if (auto committed = transaction->commit(); !committed) {
            connection->discard();
            return committed.error();
        }
    }
    if (large)
        connection->discard();
    return outcome;
}

Outcome untracked_outcome(const MessageState& state) {
    Classified classified = classify_message(state);
    Outcome outcome;
    if (classified.view)
        outcome.message_id = classified.view->message_id;
    for (const auto& group : state.ours) {
        DealerOutcome dealer_outcome;
        dealer_outcome.dealer = group.dealer;
        dealer_outcome.kind = classified.record.kind;
        dealer_outcome.reason = classified.record.reason;
        dealer_outcome.envelope = plan_forwarding(*group.dealer, group.recipients, std::nullopt);
        outcome.dealers.push_back(std::move(dealer_outcome));
    }
    return outcome;
}

} // namespace lr::milter
