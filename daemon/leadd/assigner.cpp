#include "assigner.hpp"

#include "log/log.hpp"
#include "sequence_runner.hpp"

#include <algorithm>

namespace lr::daemon {

Assigner::Assigner(event_base* base, ConfigSource config, const Clock& clock, int batch_size,
                   std::string actor)
    : m_base(base), m_config(std::move(config)), m_clock(clock), m_batch_size(batch_size),
      m_actor(std::move(actor)) {
    m_retry.reset(evtimer_new(m_base, &Assigner::on_retry, this));
}

void Assigner::kick() {
    if (m_stopped)
        return;
    if (m_running) {
        m_again = true;
        return;
    }
    if (!m_connection || m_connection->broken())
        return; // the reconnect kicks again
    m_running = true;
    start_batch();
}

void Assigner::start_batch() {
    m_run =
        std::make_shared<store::AssignmentRun>(m_config(), m_batch_size, m_clock.now(), m_actor);
    run_async(*m_connection, m_run, [this](Result<void> done) {
        if (!done)
            fail_batch(done.error());
        else
            finish_batch();
    });
}

void Assigner::finish_batch() {
    const auto& stats = m_run->stats();
    m_failures = 0;
    m_total_assigned += stats.assigned + stats.attached;
    for (const auto& lead : m_run->decided())
        log::info(lead.decision.action == core::Decision::Action::attach ? "lead attached"
                                                                         : "lead assigned",
                  {{"LEAD_ID", std::to_string(lead.id)},
                   {"DEALER", lead.dealer_id},
                   {"USER", lead.decision.user.empty() ? "-" : lead.decision.user},
                   {"RULE", lead.decision.rule}});
    if (stats.skipped > 0)
        log::warning("leads of unconfigured dealers left unassigned",
                     {{"COUNT", std::to_string(stats.skipped)}});
    const bool full = stats.claimed >= m_batch_size;
    m_run.reset();
    if ((full || m_again) && !m_stopped) {
        m_again = false;
        start_batch();
        return;
    }
    m_running = false;
    if (m_on_idle)
        m_on_idle();
}

void Assigner::fail_batch(const Error& error) {
    log::error("assignment batch failed, rolled back: " + error.message);
    m_run.reset();
    m_running = false;
    m_again = false;
    // 1 s, 2 s, 4 s ... up to a minute: a database that refuses is not hammered.
    int seconds = std::min(60, 1 << std::min(m_failures++, 6));
    timeval delay{seconds, 0};
    evtimer_add(m_retry.get(), &delay);
    if (m_on_failure)
        m_on_failure(error);
}

void Assigner::on_retry(evutil_socket_t, short, void* self) noexcept {
    static_cast<Assigner*>(self)->kick();
}

} // namespace lr::daemon
