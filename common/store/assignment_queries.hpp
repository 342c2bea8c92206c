// The SQL of one assignment batch (SPEC §6), as statements and row readers
// that do not care whether they run blocking (leadctl, tests) or on leadd's
// event loop. The order a batch runs them in, inside one transaction:
//   1. claim_batch        new leads, FOR UPDATE SKIP LOCKED (two daemons never share one)
//   2. lock_dealers       one advisory lock per dealer, in sorted order (no deadlock)
//   3. lead_facts         what the rules look at, and each contact's history
//   4. rotation_state     cursors and who is absent now
//   5. write_decisions    leads, audit trail and cursors in one statement
// Locking the dealers before reading cursors and history is what keeps the
// rotation exact with several daemons: the second waits and then reads what
// the first committed.
#pragma once

#include "core/assignment_batch.hpp"
#include "store/event_queries.hpp"
#include "store/pg.hpp"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace lr::store {

Statement claim_batch(const std::vector<std::string>& dealer_ids, int limit);
std::vector<std::pair<long long, std::string>> read_claimed(const Rows& rows); // id, dealer

Statement lock_dealers(const std::vector<std::string>& dealer_ids);

Statement lead_facts(const std::vector<long long>& lead_ids);
std::vector<core::PendingLead> read_lead_facts(const Rows& rows);

Statement rotation_state(const std::vector<std::string>& dealer_ids, const std::string& now_iso);
// Fills cursors and absences of state from the rows of rotation_state.
void read_rotation_state(const Rows& rows, core::BatchState& state);

// Leads (assigned or merged), their messages, the audit trail, the
// cursors the decisions moved and the new leads' escalation events.
Statement write_decisions(const std::vector<core::DecidedLead>& decided,
                          const std::vector<LeadEvent>& events, const std::string& now_iso,
                          const std::string& actor);

} // namespace lr::store
