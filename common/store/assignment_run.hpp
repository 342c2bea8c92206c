// One assignment batch as a sequence of statements: the caller runs each
// statement next() hands out and feeds the rows back, blocking
// (run_assignment_batch) or on an event loop (leadd). The sequence is
// BEGIN, the queries of assignment_queries.hpp, COMMIT; on any error the
// caller rolls back and nothing of the batch is kept.
#pragma once

#include "core/assignment_batch.hpp"
#include "core/zoned_time.hpp"
#include "store/assignment_queries.hpp"
#include "store/statement_sequence.hpp"

#include <memory>
#include <optional>

namespace lr::store {

struct BatchStats {
    long long claimed = 0;     // new leads locked by this batch
    long long assigned = 0;    // given to a user
    long long attached = 0;    // attached to an open lead of the contact
    long long skipped = 0;     // dealer no longer configured: left as they were
    long long events = 0;      // reminders and escalations scheduled
    long long unscheduled = 0; // assigned, but the dealer has no working time
};

class AssignmentRun : public StatementSequence {
public:
    AssignmentRun(std::shared_ptr<const core::Config> config, int limit, core::Instant now,
                  std::string actor);

    // The next statement; previous is the result of the last one (null on
    // the first call). nullopt: the batch is over (committed).
    std::optional<Statement> next(const Rows* previous) override;

    const BatchStats& stats() const { return m_stats; }
    const std::vector<core::DecidedLead>& decided() const { return m_decided; }
    // When a lead of this batch arrived (for the assignment latency).
    std::optional<core::Instant> received_at(long long lead_id) const;

private:
    enum class Step { claim, lock, facts, state, write, done };

    std::vector<LeadEvent> plan_events();
    void add_customer_message_events(const core::Dealer& dealer, const core::DecidedLead& lead,
                                     core::Instant received, std::vector<LeadEvent>& events) const;

    std::shared_ptr<const core::Config> m_config;
    int m_limit;
    core::Instant m_now_instant;
    std::string m_now;
    std::string m_actor;
    Step m_step = Step::claim;
    std::vector<long long> m_ids;
    std::vector<std::string> m_dealers;
    std::vector<core::PendingLead> m_pending;
    core::BatchState m_state;
    CursorTurns m_cursor_turns;
    std::vector<core::DecidedLead> m_decided;
    BatchStats m_stats;
};

// Runs one batch on a blocking connection; rolls back on error.
Result<BatchStats> run_assignment_batch(Connection& connection,
                                        std::shared_ptr<const core::Config> config, int limit,
                                        core::Instant now, const std::string& actor);

} // namespace lr::store
