#include "scheduler.hpp"

#include "log/log.hpp"
#include "sequence_runner.hpp"
#include "store/recompute_run.hpp"

#include <algorithm>

namespace lr::daemon {

Scheduler::Scheduler(event_base* base, ConfigSource config, const Clock& clock, int batch_size)
    : m_base(base), m_config(std::move(config)), m_clock(clock), m_batch_size(batch_size) {
    m_timer.reset(evtimer_new(m_base, &Scheduler::on_timer, this));
}

void Scheduler::rearm() {
    if (!m_connection || m_connection->broken() || m_stopped)
        return;
    m_connection->exec(store::next_send_time(), [this](Result<store::Rows> rows) {
        if (!rows) {
            log::error("scheduler: " + rows.error().message);
            return;
        }
        auto next = store::read_next_send_time(*rows);
        if (!next) {
            evtimer_del(m_timer.get());
            return;
        }
        auto wait = std::max<long long>(0, (*next - m_clock.now()).count());
        // Capped: the minute poll and NOTIFY re-arm anyway, and a clock
        // that was set meanwhile is noticed.
        timeval delay{static_cast<time_t>(std::min<long long>(wait, 60)), 0};
        evtimer_add(m_timer.get(), &delay);
    });
}

void Scheduler::on_timer(evutil_socket_t, short, void* self) noexcept {
    static_cast<Scheduler*>(self)->fire();
}

void Scheduler::fire() {
    if (m_stopped || !m_connection || m_connection->broken())
        return;
    if (m_running) {
        m_again = true;
        return;
    }
    m_running = true;
    start_batch();
}

void Scheduler::start_batch() {
    m_run = std::make_shared<store::FiringRun>(m_config(), m_batch_size, m_clock.now());
    run_async(*m_connection, m_run, [this](Result<void> done) {
        if (!done) {
            failed(done.error());
            return;
        }
        const auto& stats = m_run->stats();
        m_failures = 0;
        m_total_sent += stats.sent;
        if (stats.claimed > 0)
            log::info("events fired", {{"QUEUED", std::to_string(stats.sent)},
                                       {"CANCELLED", std::to_string(stats.cancelled)}});
        const bool full = m_run->full();
        m_run.reset();
        if ((full || m_again) && !m_stopped) {
            m_again = false;
            start_batch();
            return;
        }
        m_running = false;
        rearm();
        if (m_on_idle)
            m_on_idle();
    });
}

void Scheduler::failed(const Error& error) {
    log::error("firing batch failed, rolled back: " + error.message);
    m_run.reset();
    m_running = false;
    m_again = false;
    int seconds = std::min(60, 1 << std::min(m_failures++, 6));
    timeval delay{seconds, 0};
    evtimer_add(m_timer.get(), &delay);
    if (m_on_failure)
        m_on_failure(error);
}

void Scheduler::recompute(std::vector<std::string> dealer_ids) {
    if (dealer_ids.empty() || !m_connection || m_connection->broken())
        return;
    auto run = std::make_shared<store::RecomputeRun>(m_config(), dealer_ids);
    run_async(*m_connection, run, [this, run, dealer_ids](Result<void> done) {
        std::string dealers;
        for (const auto& id : dealer_ids)
            dealers += (dealers.empty() ? "" : ",") + id;
        if (!done) {
            log::error("recomputing pending events failed: " + done.error().message,
                       {{"DEALER", dealers}});
            return;
        }
        log::info("pending events recomputed for the new hours and escalation times",
                  {{"DEALER", dealers},
                   {"UPDATED", std::to_string(run->updated())},
                   {"CANCELLED", std::to_string(run->cancelled())}});
        rearm();
    });
}

} // namespace lr::daemon
