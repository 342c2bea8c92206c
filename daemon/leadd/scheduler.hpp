// Fires reminders and escalations on time (SPEC §7). One libevent timer is
// armed for the earliest pending send time; it is re-armed after every
// firing pass, after assignments (new chains), on NOTIFY
// leadrouter_schedule (leadctl reassign/resubmit) and once a minute. A pass
// (BatchLoop) fires batches of due events; each batch queues the mails in
// the outbox in the transaction that marks the events done. After a
// restart everything overdue fires at once, oldest first, exactly once.
#pragma once

#include "batch_loop.hpp"
#include "clock.hpp"
#include "store/firing_run.hpp"

#include <functional>
#include <memory>
#include <set>

namespace lr::daemon {

class Scheduler : public BatchLoop {
public:
    using ConfigSource = std::function<std::shared_ptr<const core::Config>()>;

    Scheduler(event_base* base, ConfigSource config, const Clock& clock, int batch_size);

    // Looks up the earliest pending send time and arms the timer for it.
    void rearm();
    // After a reload: recompute the pending events of these dealers. Kept
    // until it succeeds: a reload while the database is away recomputes
    // when it is back (recompute({}) runs what is still owed).
    void recompute(const std::vector<std::string>& dealer_ids);
    long long total_sent() const { return m_total_sent; }

private:
    void run_batch() override;
    void run_firing(store::FiringMode mode, bool full_before);
    void pass_ended() override { rearm(); }
    static void on_timer(evutil_socket_t, short, void* self) noexcept;

    ConfigSource m_config;
    const Clock& m_clock;
    int m_batch_size;
    void run_recompute();

    Event m_timer;
    std::set<std::string> m_recompute_owed;
    bool m_recomputing = false;
    std::shared_ptr<store::FiringRun> m_run;
    long long m_total_sent = 0;
};

} // namespace lr::daemon
