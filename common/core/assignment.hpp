// Who gets a new lead (SPEC §6, seed: Verteilung). Pure: the caller passes
// the lead's facts, the contact's history, who is absent now and the
// rotation cursors; the decision says what to do, which rule fired and why
// every other candidate was passed over (the audit trail).
#pragma once

#include "core/config.hpp"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace lr::core {

struct LeadFacts {
    std::string kind;   // lead | tradein
    std::string source; // adf, mobile.de, autoscout24, website, email, ...
    std::optional<std::string> location;
    std::optional<std::string> condition; // new | used
    std::optional<std::string> make;
};

// Earlier leads of the same contact (same e-mail or phone) at this dealer.
struct ContactHistory {
    std::optional<long long> open_lead;            // the newest one still open
    std::optional<std::string> open_lead_assignee; // its assignee
    std::optional<std::string> last_assignee;      // of the newest assigned one
};

enum class SkipReason { absent, not_receiving, not_assignable, unknown_user };
const char* to_string(SkipReason reason);

struct Candidate {
    std::string user;
    std::optional<SkipReason> skipped; // empty for the one picked
};

// One round-robin turn: the members looked at, in order, until one fit.
struct RotationTurn {
    std::string scope; // "general" or "group:<id>"
    std::optional<std::string> cursor_before;
    std::optional<std::string> cursor_after;
    std::vector<Candidate> considered;
};

struct Decision {
    enum class Action { assign, attach };
    Action action = Action::assign;
    std::string user;
    std::optional<long long> attach_to; // with Action::attach
    // attached, existing_contact, pool, group:<id>, rotation, fallback, admin
    std::string rule;
    std::vector<std::string> notes; // why earlier rules did not fire
    std::optional<RotationTurn> turn;
};

// The persistent part: the last user who got a lead, per scope.
using RotationCursors = std::map<std::string, std::string>;

// Updates cursors when a rotation turn was taken.
Decision decide_assignment(const Dealer& dealer, const LeadFacts& lead,
                           const ContactHistory& history, const std::set<std::string>& absent,
                           RotationCursors& cursors);

// The first group (config order) whose match fits the lead, if any.
const Group* matching_group(const Dealer& dealer, const LeadFacts& lead);

// The audit explanation as JSON (stored in assignments.explanation).
std::string decision_json(const Decision& decision);

} // namespace lr::core
