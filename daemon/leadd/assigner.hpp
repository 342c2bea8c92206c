// Assigns new leads in batches on the event loop (SPEC §6). kick() asks for
// a pass: batches run back to back until one finds fewer leads than it
// may take; a kick during a pass runs one more pass. A failed batch is
// rolled back whole and retried after a pause.
#pragma once

#include "async_pg.hpp"
#include "clock.hpp"
#include "store/assignment_run.hpp"

#include <functional>
#include <memory>

namespace lr::daemon {

class Assigner {
public:
    using ConfigSource = std::function<std::shared_ptr<const core::Config>()>;

    Assigner(event_base* base, ConfigSource config, const Clock& clock, int batch_size,
             std::string actor);

    void set_connection(AsyncConnection* connection) { m_connection = connection; }
    void kick();
    // No new batch after the current one (SIGTERM); on_idle follows.
    void stop() { m_stopped = true; }
    bool running() const { return m_running; }
    // Called whenever a pass ends with nothing left to do.
    void on_idle(std::function<void()> handler) { m_on_idle = std::move(handler); }
    // Called when a batch failed (it was rolled back and will be retried).
    void on_failure(std::function<void(const Error&)> handler) {
        m_on_failure = std::move(handler);
    }

    long long total_assigned() const { return m_total_assigned; }

private:
    void start_batch();
    void finish_batch();
    void fail_batch(const Error& error);
    static void on_retry(evutil_socket_t, short, void* self) noexcept;

    event_base* m_base;
    ConfigSource m_config;
    const Clock& m_clock;
    int m_batch_size;
    std::string m_actor;
    AsyncConnection* m_connection = nullptr;
    std::shared_ptr<store::AssignmentRun> m_run;
    Event m_retry;
    bool m_running = false;
    bool m_again = false;
    bool m_stopped = false;
    int m_failures = 0;
    long long m_total_assigned = 0;
    std::function<void()> m_on_idle;
    std::function<void(const Error&)> m_on_failure;
};

} // namespace lr::daemon
