// The SQL of one assignment batch (SPEC §6), as statements and row readers
// that do not care whether they run blocking (leadctl, tests) or on leadd's
// event loop. The order a batch runs them in, inside one transaction:
//   1. claim_batch        new leads, FOR UPDATE SKIP LOCKED (two daemons never share one)
//   2. lock_dealers       one advisory lock per dealer, in sorted order (no deadlock)
//   3. lead_facts         what the rules look at, and each contact's history
//   4. rotation_state     cursors and who is absent now
//   5. write_decisions    leads, audit trail and cursors in one statement, refused
//                         by the database if anything it decided on has changed
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

// How many turns each rotation cursor (dealer, scope) had when the batch
// read it: the write is refused if one has moved since.
using CursorTurns = std::map<std::pair<std::string, std::string>, long long>;

Statement rotation_state(const std::vector<std::string>& dealer_ids, const std::string& now_iso);
// Fills cursors and absences of state, and the cursors' turns, from the
// rows of rotation_state.
void read_rotation_state(const Rows& rows, core::BatchState& state, CursorTurns& turns);

// Leads (assigned or merged), their messages, the audit trail, the
// cursors the decisions moved and the new leads' escalation events. The
// database refuses the whole statement (leadrouter_refuse, so the batch
// rolls back and is decided anew) when a decided lead is no longer new or
// a cursor moved after read_turns was read; the audit row and the events
// are written only for leads this statement took, each audit row under
// the lead's next generation (unique per lead).
Statement write_decisions(const std::vector<core::DecidedLead>& decided,
                          const std::vector<LeadEvent>& events, const std::string& now_iso,
                          const std::string& actor, const CursorTurns& read_turns);

} // namespace lr::store
