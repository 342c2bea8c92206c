// Deciding a batch of new leads in id order. Leads of the same batch see
// each other: a contact's second lead attaches to the first even though
// the first is not committed yet, and the rotation moves on lead by lead.
#pragma once

#include "core/assignment.hpp"
#include "core/config.hpp"
#include "core/zoned_time.hpp"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace lr::core {

struct PendingLead {
    long long id = 0;
    std::string dealer_id;
    Instant received_at;
    LeadFacts facts;
    // The contact's history as the database has it (earlier leads only).
    std::optional<long long> open_lead;
    std::optional<std::string> open_lead_assignee;
    std::optional<std::string> open_lead_state;
    std::optional<int> open_lead_next_chain; // when open_lead_state is responded
    std::optional<long long> last_lead;
    std::optional<std::string> last_assignee;
};

struct DecidedLead {
    long long id = 0;
    std::string dealer_id;
    Decision decision;
    // Attached to a lead whose chain a reaction had ended: the customer
    // wrote again, so that lead gets a new chain with this number (SPEC §7).
    std::optional<int> restart_chain;
};

struct BatchState {
    std::map<std::string, RotationCursors> cursors;      // by dealer; updated
    std::map<std::string, std::set<std::string>> absent; // by dealer
};

// Leads of dealers missing from config are left out of the result.
std::vector<DecidedLead> decide_batch(const Config& config, const std::vector<PendingLead>& leads,
                                      BatchState& state);

} // namespace lr::core
