#include "scheduler.hpp"

#include "leadd_metrics.hpp"
#include "log/log.hpp"
#include "store/recompute_run.hpp"
#include "util/strings.hpp"

#include <algorithm>

namespace lr::daemon {

Scheduler::Scheduler(event_base* base, ConfigSource config, const Clock& clock, int batch_size)
    : BatchLoop(base), m_config(std::move(config)), m_clock(clock), m_batch_size(batch_size) {
    m_timer.reset(evtimer_new(base, &Scheduler::on_timer, this));
}

void Scheduler::rearm() {
    if (!has_connection() || stopped())
        return;
    connection().run_statement(
        store::next_send_time(m_config()->dealer_ids()), [this](Result<store::Rows> rows) {
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
    static_cast<Scheduler*>(self)->kick();
}

void Scheduler::run_batch() {
    // The held notices of digest dealers first (one daemon at a time, under
    // an advisory lock), then every other due event (SKIP LOCKED).
    run_firing(store::FiringMode::held_for_digest, false);
}

void Scheduler::run_firing(store::FiringMode mode, bool full_before) {
    m_run = std::make_shared<store::FiringRun>(m_config(), m_batch_size, m_clock.now(), mode);
    connection().run_transaction(m_run, [this, mode, full_before](Result<void> done) {
        if (!done && mode == store::FiringMode::held_for_digest && has_connection()) {
            // The digest waits (another daemon holds its lock, or it
            // failed); reminders and escalations must not wait with it.
            log::error("held notices not fired, tried again with the next batch: " +
                       done.error().message);
            m_run.reset();
            return run_firing(store::FiringMode::ordinary, full_before);
        }
        if (!done) {
            log::error("firing batch failed, rolled back: " + done.error().message);
            m_run.reset();
            batch_failed(done.error());
            return;
        }
        const auto& stats = m_run->stats();
        m_total_sent += stats.sent;
        for (const auto& [kind, count] : stats.fired_by_kind)
            metrics::count_fired(kind, count);
        if (stats.claimed > 0)
            log::info(mode == store::FiringMode::held_for_digest ? "held notices fired"
                                                                 : "events fired",
                      {{"QUEUED", std::to_string(stats.sent)},
                       {"DIGESTS", std::to_string(stats.digests)},
                       {"CANCELLED", std::to_string(stats.cancelled)}});
        const bool full = full_before || m_run->full();
        m_run.reset();
        if (mode == store::FiringMode::held_for_digest)
            return run_firing(store::FiringMode::ordinary, full);
        batch_done(full);
    });
}

void Scheduler::recompute(const std::vector<std::string>& dealer_ids) {
    m_recompute_owed.insert(dealer_ids.begin(), dealer_ids.end());
    run_recompute();
}

void Scheduler::run_recompute() {
    if (m_recompute_owed.empty() || m_recomputing || !has_connection())
        return;
    std::vector<std::string> dealer_ids(m_recompute_owed.begin(), m_recompute_owed.end());
    auto run = std::make_shared<store::RecomputeRun>(m_config(), dealer_ids);
    m_recomputing = true;
    connection().run_transaction(run, [this, run, dealer_ids](Result<void> done) {
        m_recomputing = false;
        const std::string dealers = util::join(dealer_ids, ",");
        if (!done) {
            log::error("recomputing pending events failed, tried again when the database is "
                       "back: " +
                           done.error().message,
                       {{"DEALER", dealers}});
            return;
        }
        for (const auto& id : dealer_ids)
            m_recompute_owed.erase(id);
        log::info("pending events recomputed for the new hours and escalation times",
                  {{"DEALER", dealers},
                   {"UPDATED", std::to_string(run->updated())},
                   {"CANCELLED", std::to_string(run->cancelled())}});
        rearm();
        run_recompute(); // a reload during the run may have asked for more
    });
}

} // namespace lr::daemon
