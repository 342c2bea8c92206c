// What the report reads from the database (issue #18): one row of facts
// per lead a dealer received in a period, and the unassignable mail of the
// period by reason. Two statements, usable blocking (leadctl) and inside a
// StatementSequence (leadd's monthly mail).
#pragma once

#include "report/figures.hpp"
#include "store/pg.hpp"

namespace lr::report {

// For the session (leadctl) or after SET LOCAL (a transaction): the
// planner's estimate for the joined aggregates of a big period is far too
// high, and compiling the plan with JIT took longer than running it
// (tests/bench/README.md, report_bench).
inline constexpr const char* without_jit = "jit = off";

// [from, to): instants, in no particular order; merged leads (a customer's second mail attached to
// an open lead) are not leads of their own and are left out.
store::Statement lead_facts(const std::string& dealer_id, core::Instant from, core::Instant to);
std::vector<LeadFacts> read_lead_facts(const store::Rows& rows);

store::Statement unassignable_by_reason(const std::string& dealer_id, core::Instant from,
                                        core::Instant to);
std::map<std::string, long long> read_unassignable(const store::Rows& rows);

// The instants of a period of local dates [first, last] in the zone.
std::pair<core::Instant, core::Instant> period_bounds(date::local_days first, date::local_days last,
                                                      const date::time_zone* zone);

// Reads and computes: what leadctl report and the tests run.
Result<Report> load_report(store::Connection& connection, const core::Dealer& dealer,
                           date::local_days first, date::local_days last, Dimension by);

} // namespace lr::report
