// leadd's monthly report mails (issue #18): at every poll, when a
// dealer's report day has opened and its report for the month before is
// not queued yet, one transaction per dealer renders it and queues it
// (report::MonthlyReportRun); once per month and dealer, however many
// daemons run.
#pragma once

#include "batch_loop.hpp"
#include "clock.hpp"
#include "core/config.hpp"
#include "report/monthly_report_run.hpp"

#include <memory>

namespace lr::daemon {

class MonthlyReports : public BatchLoop {
public:
    using ConfigSource = std::function<std::shared_ptr<const core::Config>()>;

    MonthlyReports(event_base* base, ConfigSource config, const Clock& clock);

    // Starts a pass when some dealer's report is due by the configuration
    // (the database then says whether it was queued already).
    void maybe_start();

private:
    void run_batch() override;

    ConfigSource m_config;
    const Clock& m_clock;
    std::shared_ptr<report::MonthlyReportRun> m_run;
};

} // namespace lr::daemon
