// What leadmilter writes for one arriving message (SPEC §5), each step a
// function the milter calls inside its one transaction: find the lead a
// reply belongs to, store the message as lead, reply, reaction or
// unassignable, look up the vehicle for forwarding, queue the mails the
// daemon sends for it. Nothing here commits.
#pragma once

#include "core/config.hpp"
#include "core/zoned_time.hpp"
#include "store/pg.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lr::store {

struct InboundMessage {
    std::string dealer_id;
    std::optional<std::string> location_id;
    std::string queue_id;
    std::string message_id; // as in the header, with <>; may be empty
    std::string envelope_from;
    std::vector<std::string> recipients;
    // The message's bytes, borrowed from whoever holds them (the milter's
    // message state) for as long as the store call runs: never copied.
    std::string_view raw;
    std::string classification_json; // lead-formats.md §5, or "{}"
    core::Instant received_at;
};

struct ThreadLead {
    long long lead_id = 0;
    std::string state;
    std::optional<std::string> assignee;
    std::optional<std::string> location_id;
    core::Instant received_at;
    std::optional<std::string> contact_email; // canonical
    // Found by a recipient's tracking tag, which only the customer was
    // sent, rather than by a Message-ID anyone may have seen.
    bool via_tracking_tag = false;
};

// The open lead a reply address was made for, and the user it was sent to
// (reply_keys, issue #14). A merged lead stands for its target.
struct ReplyKeyLead {
    ThreadLead lead;
    std::string user_id;
    core::Instant renewed_at; // the last notice that named the address
};
Result<std::optional<ReplyKeyLead>> find_reply_key_lead(Connection& connection,
                                                        const std::string& dealer_id,
                                                        const std::vector<std::string>& tokens);

// The lead a message answers (SPEC §4 kind reply): the tracking tag of a
// recipient (mailbox+<token>), else a referenced Message-ID of a stored
// message or of a mail the system sent. A merged lead stands for its
// target; a closed lead is not answered (the message then counts anew).
Result<std::optional<ThreadLead>> find_thread_lead(Connection& connection,
                                                   const std::string& dealer_id,
                                                   const std::vector<std::string>& tags,
                                                   const std::vector<std::string>& references);

// The newest open lead of the dealer whose customer has one of addresses.
Result<std::optional<ThreadLead>>
find_open_lead_of_customer(Connection& connection, const std::string& dealer_id,
                           const std::vector<std::string>& addresses);

// A message of this dealer stored before under the same Message-ID: the
// sender retried after an answer got lost. Returns the stored kind, reason
// and lead so the retry is forwarded alike but stored once.
struct StoredMessage {
    std::string kind;
    std::optional<std::string> reason;
    std::optional<long long> lead_id;
    std::optional<std::string> location_id; // the lead's location
};
Result<std::optional<StoredMessage>> find_stored_message(Connection& connection,
                                                         const std::string& dealer_id,
                                                         const std::string& message_id);

// Inserts the message row; returns its id.
Result<long long> insert_message(Connection& connection, const InboundMessage& message,
                                 const std::string& kind, const std::optional<std::string>& reason,
                                 std::optional<long long> lead_id);

// A customer's answer on an open lead: stored on it; its assignee hears of
// it and a chain that a reaction had ended starts anew (SPEC §7).
Result<long long> store_customer_reply(Connection& connection, const core::Dealer& dealer,
                                       const InboundMessage& message, const ThreadLead& lead,
                                       core::Instant now);

// A user's mail on a lead (SPEC §5.6): stored on it, counted as reaction.
Result<long long> store_reaction(Connection& connection, const InboundMessage& message,
                                 const ThreadLead& lead, const std::string& user_id,
                                 core::Instant now);

struct VehicleMatch {
    long long id = 0;
    std::optional<std::string> location_id, condition, make, model;
};
// The dealer's vehicle by internal number, listing id or VIN (SPEC §10).
Result<std::optional<VehicleMatch>> find_vehicle(Connection& connection,
                                                 const std::string& dealer_id,
                                                 const std::optional<std::string>& internal_number,
                                                 const std::optional<std::string>& listing_id,
                                                 const std::optional<std::string>& vin);

struct NewLead {
    std::string kind; // lead | tradein
    std::string source;
    std::optional<std::string> provider;
    std::optional<std::string> email, phone, salutation, first_name, last_name;
    std::string vehicle_json;  // the record's vehicle, completed from the inventory
    std::string trade_in_json; // "null" when there is none
    std::optional<std::string> message;
    std::optional<long long> vehicle_id;
};
struct StoredLead {
    long long lead_id = 0;
    long long message_row = 0;
};
// Contact, lead and message in one statement, unless a message of the
// dealer with the same Message-ID was stored in the last 7 days (then
// nothing is written and the result is empty). Atomic on its own, so it
// may run outside a transaction.
Result<std::optional<StoredLead>>
store_new_lead(Connection& connection, const InboundMessage& message, const NewLead& lead);

// Several at once, in one round trip and one commit (a group commit): each
// result as store_new_lead's, in the order given; a later request sees the
// earlier ones (the same Message-ID twice is stored once). On an error
// nothing is stored.
struct NewLeadRequest {
    const InboundMessage* message = nullptr;
    const NewLead* lead = nullptr;
};
Result<std::vector<std::optional<StoredLead>>>
store_new_leads(Connection& connection, const std::vector<NewLeadRequest>& requests);

struct QueuedMail {
    std::string dealer_id;
    std::optional<long long> lead_id;
    std::string kind;
    std::string message_id; // with <>
    std::string mail_from;
    std::vector<std::string> recipients;
    std::optional<std::string> content; // null: the daemon builds it at send time
    std::string payload_json = "{}";
};
// Queued for now. A second mail with the same Message-ID is not queued
// again. Like every function here it does not NOTIFY: the caller wakes
// leadd after the commit (channels.hpp).
Result<void> queue_mail(Connection& connection, const QueuedMail& mail, core::Instant now);

} // namespace lr::store
