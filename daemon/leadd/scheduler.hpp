// Fires reminders and escalations on time (SPEC §7). One libevent timer is
// armed for the earliest pending send time; it is re-armed after every
// firing pass, after assignments (new chains), on NOTIFY
// leadrouter_schedule (leadctl reassign/resubmit) and once a minute. A pass
// fires batches of due events back to back until one is not full; each
// batch queues the mails in the outbox in the transaction that marks the
// events done. After a restart everything overdue fires at once, oldest
// first, exactly once.
#pragma once

#include "async_pg.hpp"
#include "clock.hpp"
#include "store/firing_run.hpp"

#include <functional>
#include <memory>

namespace lr::daemon {

class Scheduler {
public:
    using ConfigSource = std::function<std::shared_ptr<const core::Config>()>;

    Scheduler(event_base* base, ConfigSource config, const Clock& clock, int batch_size);

    void set_connection(AsyncConnection* connection) { m_connection = connection; }
    // Looks up the earliest pending send time and arms the timer for it.
    void rearm();
    // Fires what is due now (used by the timer and by --once).
    void fire();
    // After a reload: recompute the pending events of these dealers.
    void recompute(std::vector<std::string> dealer_ids);
    void stop() { m_stopped = true; }
    bool running() const { return m_running; }
    void on_idle(std::function<void()> handler) { m_on_idle = std::move(handler); }
    void on_failure(std::function<void(const Error&)> handler) {
        m_on_failure = std::move(handler);
    }
    long long total_sent() const { return m_total_sent; }

private:
    void start_batch();
    void failed(const Error& error);
    static void on_timer(evutil_socket_t, short, void* self) noexcept;

    event_base* m_base;
    ConfigSource m_config;
    const Clock& m_clock;
    int m_batch_size;
    AsyncConnection* m_connection = nullptr;
    Event m_timer;
    std::shared_ptr<store::FiringRun> m_run;
    bool m_running = false;
    bool m_again = false;
    bool m_stopped = false;
    int m_failures = 0;
    long long m_total_sent = 0;
    std::function<void()> m_on_idle;
    std::function<void(const Error&)> m_on_failure;
};

} // namespace lr::daemon
