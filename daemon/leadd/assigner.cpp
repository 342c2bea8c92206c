#include "assigner.hpp"

#include "leadd_metrics.hpp"
#include "log/log.hpp"

namespace lr::daemon {

Assigner::Assigner(event_base* base, ConfigSource config, const Clock& clock, int batch_size,
                   std::string actor)
    : BatchLoop(base), m_config(std::move(config)), m_clock(clock), m_batch_size(batch_size),
      m_actor(std::move(actor)) {}

void Assigner::run_batch() {
    m_run =
        std::make_shared<store::AssignmentRun>(m_config(), m_batch_size, m_clock.now(), m_actor);
    connection().run_transaction(m_run, [this](Result<void> done) {
        if (done) {
            finish_batch();
            return;
        }
        log::error("assignment batch failed, rolled back: " + done.error().message);
        m_run.reset();
        batch_failed(done.error());
    });
}

void Assigner::finish_batch() {
    const auto& stats = m_run->stats();
    m_total_assigned += stats.assigned + stats.attached;
    const auto now = m_clock.now();
    for (const auto& lead : m_run->decided()) {
        if (auto received = m_run->received_at(lead.id))
            metrics::observe_assignment(static_cast<double>((now - *received).count()));
        log::info(lead.decision.action == core::Decision::Action::attach ? "lead attached"
                                                                         : "lead assigned",
                  {{"LEAD_ID", std::to_string(lead.id)},
                   {"DEALER", lead.dealer_id},
                   {"USER", lead.decision.user.empty() ? "-" : lead.decision.user},
                   {"RULE", lead.decision.rule}});
    }
    if (stats.skipped > 0)
        log::warning("leads of unconfigured dealers left unassigned",
                     {{"COUNT", std::to_string(stats.skipped)}});
    const bool full = stats.claimed >= m_batch_size;
    m_run.reset();
    batch_done(full);
}

} // namespace lr::daemon
