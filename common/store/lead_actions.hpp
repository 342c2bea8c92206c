// What a person does to a lead through leadctl (SPEC §6, §7): claim from
// the pool, react, reassign, close. Each is one transaction that locks the
// lead row first, so two people acting at once get one success and one
// clear refusal. Each ends the lead's pending reminders and escalations
// (a reaction cancels them; a reassignment restarts the chain for the new
// assignee, which the scheduler writes).
#pragma once

#include "core/config.hpp"
#include "core/zoned_time.hpp"
#include "store/pg.hpp"

#include <optional>
#include <string>

namespace lr::store {

struct LeadRef {
    long long id = 0;
    std::string dealer_id;
    std::string state;
    std::optional<std::string> assignee;
};

// The lead and its dealer's configuration, or a not_found error.
Result<LeadRef> find_lead(Connection& connection, long long lead_id);

// Claims lead_id, or the oldest pool lead when lead_id is empty.
Result<LeadRef> claim_pool_lead(Connection& connection, const core::Dealer& dealer,
                                const std::string& user_id, std::optional<long long> lead_id,
                                core::Instant now);

Result<LeadRef> record_reaction(Connection& connection, const core::Config& config,
                                long long lead_id, const std::string& user_id, core::Instant now);
Result<LeadRef> reassign_lead(Connection& connection, const core::Config& config, long long lead_id,
                              const std::string& user_id, core::Instant now);
// The reaction itself, inside the caller's transaction: the lead is
// responded and its pending reminders and escalations end. Shared by
// record_reaction and a reply sent through leadctl.
Result<void> mark_responded(Connection& connection, long long lead_id, const std::string& user_id,
                            core::Instant now);

// A resubmission (Wiedervorlage) at `when`: its own chain, beside any other.
Result<LeadRef> set_resubmission(Connection& connection, const core::Config& config,
                                 long long lead_id, core::Instant when, core::Instant now);
Result<LeadRef> close_lead(Connection& connection, long long lead_id, core::Instant now);

} // namespace lr::store
