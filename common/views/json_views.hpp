// The product's data as JSON (issue #16): one shape for each thing, written
// by nlohmann/json, shared by leadctl's --json and leadweb's API, so both
// say the same in the same words. Times are ISO 8601 in the dealer's zone
// with its offset.
#pragma once

#include "core/config.hpp"
#include "core/escalation_plan.hpp"
#include "store/absence_store.hpp"
#include "store/lead_queries.hpp"
#include "store/lead_views.hpp"
#include "store/user_status.hpp"
#include "util/json.hpp"

namespace lr::views {

// "ok", "soon", "overdue" or null.
Json due_json(store::DueState due);

// One line of a lead list: id, received, kind, source, contact, assignee,
// state, rule, due.
Json lead_row_json(const store::LeadRow& lead, const date::time_zone* zone);

// The assignment trail and the people's actions of one lead.
Json audit_json(const std::vector<store::AuditEntry>& trail, const date::time_zone* zone);
Json actions_json(const std::vector<store::ActionEntry>& actions, const date::time_zone* zone);

// One lead whole: its fields, contact, vehicle, messages (text), events,
// audit trail and actions.
Json lead_detail_json(const store::LeadDetail& lead, const date::time_zone* zone);

// The users overview (seed: Benutzer), one object per user.
Json users_json(const core::Dealer& dealer, const store::UserStatus& status);

Json absence_json(const store::Absence& absence, const date::time_zone* zone, core::Instant now);

// leadctl plan's answer: due and send times.
Json plan_json(const core::EscalationPlan& plan, const date::time_zone* zone);
Json plan_json(const core::ResubmissionPlan& plan, const date::time_zone* zone);

// A stored JSON text as a value (null when absent; the text itself, as a
// string, in the unheard-of case that it does not parse).
Json stored_json(const std::optional<std::string>& text);

} // namespace lr::views
