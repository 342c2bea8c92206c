#include "batch_loop.hpp"

#include <algorithm>

namespace lr::daemon {

BatchLoop::BatchLoop(event_base* base) {
    m_retry.reset(evtimer_new(base, &BatchLoop::on_retry, this));
}

void BatchLoop::kick() {
    if (m_stopped)
        return;
    if (m_running) {
        m_again = true;
        return;
    }
    if (!m_connection || m_connection->broken())
        return; // the reconnect kicks again
    m_running = true;
    run_batch();
}

void BatchLoop::batch_done(bool full) {
    m_failures = 0;
    if ((full || m_again) && !m_stopped) {
        m_again = false;
        if (!has_connection()) {
            // Lost while the batch ended (an outbox send finished after
            // the database went away): the reconnect kicks again.
            m_running = false;
            return;
        }
        run_batch();
        return;
    }
    m_running = false;
    pass_ended();
    if (m_on_idle)
        m_on_idle();
}

void BatchLoop::batch_failed(const Error& error) {
    m_running = false;
    m_again = false;
    int seconds = std::min(60, 1 << std::min(m_failures++, 6));
    timeval delay{seconds, 0};
    evtimer_add(m_retry.get(), &delay);
    if (m_on_failure)
        m_on_failure(error);
}

void BatchLoop::on_retry(evutil_socket_t, short, void* self) noexcept {
    static_cast<BatchLoop*>(self)->kick();
}

} // namespace lr::daemon
