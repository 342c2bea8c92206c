// Read-only views of leads for leadctl: the list with its due state (the
// seed system's colours) and the audit trail of one lead.
#pragma once

#include "core/zoned_time.hpp"
#include "store/pg.hpp"

#include <optional>
#include <string>
#include <vector>

namespace lr::store {

// ok: nothing due yet; soon: the reminder time has passed; overdue: the
// level-1 deadline has passed without a reaction; "-": no schedule.
enum class DueState { none, ok, soon, overdue };
const char* to_string(DueState state);

struct LeadRow {
    long long id = 0;
    core::Instant received_at;
    long long received_us = 0; // received_at to the microsecond: where a page ends
    std::string kind;
    std::string source;
    std::string contact; // e-mail, else phone, else "-"
    std::optional<std::string> assignee;
    std::string state;
    std::optional<std::string> rule;
    DueState due = DueState::none;
};

Result<std::vector<LeadRow>> list_leads(Connection& connection, const std::string& dealer_id,
                                        bool open_only, int limit, core::Instant now);

struct AuditEntry {
    core::Instant at;
    std::optional<std::string> user;
    std::string rule;
    std::string actor;
    std::string explanation; // JSON, as stored
    // The same, readable:
    std::optional<std::string> scope;
    std::optional<std::string> cursor_before;
    std::optional<std::string> cursor_after;
    std::string candidates; // "anna (skipped: absent), ben (picked)"
    std::string notes;      // "; "-separated
    std::optional<std::string> attached_to;
    std::optional<std::string> previous_user; // reassign and claim: from whom
};

Result<std::vector<AuditEntry>> lead_audit(Connection& connection, long long lead_id);

// What people did to the lead (lead_actions, issue #15), oldest first.
struct ActionEntry {
    core::Instant at;
    std::string action; // claim | reaction | resubmission | reassign | close | reply
    std::optional<std::string> user;
    std::string channel;                    // cli | mail | web | api
    std::string detail;                     // JSON, as stored
    std::optional<std::string> integration; // api: the token's name
};
Result<std::vector<ActionEntry>> lead_action_trail(Connection& connection, long long lead_id);

// The customer and the car in a few words ("Max Mustermann, Volkswagen
// Golf (HH-2231)"), for answers that name the lead; empty when unknown.
Result<std::string> lead_headline(Connection& connection, long long lead_id);

} // namespace lr::store
