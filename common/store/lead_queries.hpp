// What the integration API reads of leads (issue #16): a dealer's leads by
// filter, a page at a time, and one lead whole (contact, vehicle, its
// messages as text, its events). leadctl's list is the same query.
#pragma once

#include "store/lead_views.hpp"

#include <optional>
#include <string>
#include <vector>

namespace lr::store {

// Where the previous page ended: the last lead shown (the list runs newest
// first, by received_at, then id).
struct PagePosition {
    long long received_us = 0; // microseconds since the epoch
    long long id = 0;
};

struct LeadFilter {
    std::string dealer_id;
    bool open_only = false; // new, assigned, responded
    std::optional<std::string> state;
    std::optional<std::string> assignee;
    std::optional<std::string> kind;
    std::optional<std::string> source;
    std::optional<DueState> due;
    std::optional<core::Instant> received_from;  // inclusive
    std::optional<core::Instant> received_until; // exclusive
    std::optional<PagePosition> after;
    int limit = 50;
};

Result<std::vector<LeadRow>> find_leads(Connection& connection, const LeadFilter& filter,
                                        core::Instant now);

struct LeadMessage {
    long long id = 0;
    core::Instant received_at;
    std::string kind; // lead | tradein | reply | reaction | command | unassignable
    std::optional<std::string> reason;
    std::optional<std::string> envelope_from;
    std::optional<std::string> text; // the message as the classifier read it, never the raw mail
};

struct LeadEventRow {
    long long id = 0;
    std::string kind;
    core::Instant due_at;
    core::Instant send_at;
    std::string addressee;
    std::string state; // pending | done | cancelled
};

struct LeadDetail {
    long long id = 0;
    std::string dealer_id;
    std::optional<std::string> location_id;
    std::string kind;
    std::string source;
    std::optional<std::string> provider;
    std::string state;
    std::optional<std::string> assignee;
    std::optional<std::string> assigned_rule;
    std::optional<core::Instant> assigned_at;
    core::Instant received_at;
    long long version = 0;
    std::optional<std::string> salutation, first_name, last_name, email, phone;
    std::optional<std::string> vehicle_json;  // as stored (jsonb)
    std::optional<std::string> trade_in_json; // as stored (jsonb)
    std::optional<std::string> message;
    DueState due = DueState::none;
    std::vector<LeadMessage> messages;
    std::vector<LeadEventRow> events;
    // at, user, rule, actor and explanation of each (the readable fields
    // are leadctl why's)
    std::vector<AuditEntry> audit;
    std::vector<ActionEntry> actions;
};

// The lead, or nullopt when there is none with this id: one statement,
// its lists aggregated by the database (one round trip per request).
Result<std::optional<LeadDetail>> lead_detail(Connection& connection, long long lead_id,
                                              core::Instant now);

// Which dealer a lead belongs to, or nullopt.
Result<std::optional<std::string>> dealer_of_lead(Connection& connection, long long lead_id);

} // namespace lr::store
