// The pass mechanics the assigner, the scheduler and the outbox sender
// share: kick() asks for a pass; batches run back to back while they come
// back full; a kick during a pass runs one more; stop() lets the current
// batch finish and starts no new one; a failed batch is retried after 1, 2,
// 4 … 60 seconds so a database that refuses is not hammered. Subclasses
// run one batch and end it with batch_done() or batch_failed().
#pragma once

#include "async_pg.hpp"

#include <functional>

namespace lr::daemon {

class BatchLoop {
public:
    explicit BatchLoop(event_base* base);
    virtual ~BatchLoop() = default;
    BatchLoop(const BatchLoop&) = delete;
    BatchLoop& operator=(const BatchLoop&) = delete;

    void set_connection(AsyncConnection* connection) { m_connection = connection; }
    void kick();
    void stop() { m_stopped = true; }
    bool running() const { return m_running; }
    // Called whenever a pass ends with nothing left to do.
    void on_idle(std::function<void()> handler) { m_on_idle = std::move(handler); }
    // Called when a batch failed (it is retried after a pause).
    void on_failure(std::function<void(const Error&)> handler) {
        m_on_failure = std::move(handler);
    }

protected:
    virtual void run_batch() = 0;
    // After the pass, before on_idle (the scheduler re-arms its timer here).
    virtual void pass_ended() {}
    void batch_done(bool full);
    void batch_failed(const Error& error);
    AsyncConnection& connection() { return *m_connection; }
    bool has_connection() const { return m_connection && !m_connection->broken(); }
    bool stopped() const { return m_stopped; }

private:
    static void on_retry(evutil_socket_t, short, void* self) noexcept;

    AsyncConnection* m_connection = nullptr;
    Event m_retry;
    bool m_running = false;
    bool m_again = false;
    bool m_stopped = false;
    int m_failures = 0;
    std::function<void()> m_on_idle;
    std::function<void(const Error&)> m_on_failure;
};

} // namespace lr::daemon
