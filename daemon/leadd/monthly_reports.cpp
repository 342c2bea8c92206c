#include "monthly_reports.hpp"

#include "log/log.hpp"
#include "report/monthly_report.hpp"

namespace lr::daemon {

MonthlyReports::MonthlyReports(event_base* base, ConfigSource config, const Clock& clock)
    : BatchLoop(base), m_config(std::move(config)), m_clock(clock) {}

void MonthlyReports::maybe_start() {
    if (!running() && !report::due_reports(*m_config(), m_clock.now()).empty())
        kick();
}

void MonthlyReports::run_batch() {
    m_run = std::make_shared<report::MonthlyReportRun>(m_config(), m_clock.now());
    connection().run_transaction(m_run, [this](Result<void> done) {
        if (!done) {
            log::error("monthly report failed, rolled back (tried again at the next poll): " +
                       done.error().message);
            m_run.reset();
            batch_failed(done.error());
            return;
        }
        if (const auto& queued = m_run->queued())
            log::info("monthly report queued", {{"DEALER", queued->dealer_id},
                                                {"MONTH", report::month_name(queued->month)}});
        const bool again = m_run->found();
        m_run.reset();
        batch_done(again);
    });
}

} // namespace lr::daemon
