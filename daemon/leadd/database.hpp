// leadd's session with PostgreSQL: connects without blocking the loop,
// prepares the session (statement timeouts), LISTENs on the wake-up
// channels, measures the database's clock (Clock), and then says so — the
// owner runs a full catch-up pass then, because a NOTIFY sent while leadd
// was away is lost by design. A lost or refused connection is retried
// after 1, 2, 4 … 30 seconds with jitter, so several daemons that lost the
// same server do not return in lock-step. A changed conninfo (reload of
// system.database) drops the session and connects to the new one.
#pragma once

#include "async_pg.hpp"
#include "clock.hpp"

#include <functional>
#include <memory>
#include <random>
#include <string>

namespace lr::daemon {

class Database {
public:
    struct Handlers {
        std::function<void(AsyncConnection*)> connection_changed; // null while there is none
        std::function<void()> caught_up;                          // listening: catch up now
        std::function<void(const std::string& channel)> notify;
        std::function<void(const Error&)> lost; // each failed connect or lost session
    };

    Database(event_base* base, std::string conninfo, Clock& clock, Handlers handlers);
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    void start();
    // Reload: a new conninfo replaces the session; the same one keeps it.
    void change_conninfo(const std::string& conninfo);
    // Re-measures the database's clock (the minute poll).
    void measure_clock();
    // Stops reconnecting (shutdown, --once after a failure).
    void stop() { m_stopped = true; }
    bool connected() const { return m_listening; }

private:
    void begin_connect();
    void session_ready();
    void session_lost(const Error& error);
    void schedule_retry();
    static void on_retry(evutil_socket_t, short, void* self) noexcept;

    event_base* m_base;
    std::string m_conninfo;
    Clock& m_clock;
    Handlers m_handlers;
    std::unique_ptr<AsyncConnection> m_connection;
    Event m_retry;
    int m_failures = 0;
    bool m_listening = false;
    bool m_was_connected = false; // a later session is a reconnect
    bool m_stopped = false;
    std::mt19937 m_jitter{std::random_device{}()};
};

} // namespace lr::daemon
