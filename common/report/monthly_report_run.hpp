// Queues one dealer's monthly report mail (issue #18), as one transaction
// on leadd's loop: find a dealer whose report is due and not yet queued,
// claim the (dealer, month) row, read the month, render the mail, queue it
// in the outbox. The claim is the row's primary key: two daemons never
// queue one month twice; a failure rolls the claim back with everything.
//
// Due: from the first opening (next_open) on reports.day of the month, in
// the dealer's zone, about the month before; a daemon that was down then
// catches up at its next pass. The outbox mail waits for the opening too.
#pragma once

#include "core/config.hpp"
#include "report/figures.hpp"
#include "store/statement_sequence.hpp"

#include <memory>

namespace lr::report {

struct DueReport {
    std::string dealer_id;
    date::year_month month; // reported on
};

// The dealers whose report is due at now (pure, from the configuration).
std::vector<DueReport> due_reports(const core::Config& config, core::Instant now);

class MonthlyReportRun : public store::StatementSequence {
public:
    MonthlyReportRun(std::shared_ptr<const core::Config> config, core::Instant now);
    std::optional<store::Statement> next(const store::Rows* previous) override;

    // A due report was found: look again for the next dealer.
    bool found() const { return m_found; }
    // The report queued by this run, if it queued one.
    const std::optional<DueReport>& queued() const { return m_queued; }

private:
    enum class Step { find, claim, no_jit, facts, unassignable, queue, done };
    std::optional<store::Statement> queue(const store::Rows& unassignable);

    std::shared_ptr<const core::Config> m_config;
    core::Instant m_now;
    std::vector<DueReport> m_due;
    Step m_step = Step::find;
    bool m_found = false;
    std::optional<DueReport> m_current, m_queued;
    core::Instant m_from, m_to;
    std::vector<LeadFacts> m_leads;
};

} // namespace lr::report
