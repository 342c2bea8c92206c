// libpq in non-blocking mode on the libevent loop: statements are queued
// and sent one at a time (PQsendQueryParams); PQsocket is watched for
// readability (results, NOTIFY) and, while output is pending, writability.
// Nothing here blocks except the connect itself, done at start-up and on
// reconnect (a unix socket or a short connect_timeout keeps that brief).
#pragma once

#include "event_handles.hpp"
#include "store/pg.hpp"

#include <deque>
#include <functional>
#include <memory>
#include <string>

namespace lr::daemon {

class AsyncConnection {
public:
    using Callback = std::function<void(Result<store::Rows>)>;
    using NotifyHandler = std::function<void(const std::string& channel)>;
    using BrokenHandler = std::function<void(const Error& error)>;

    static Result<std::unique_ptr<AsyncConnection>> open(event_base* base,
                                                         const std::string& conninfo);
    ~AsyncConnection();
    AsyncConnection(const AsyncConnection&) = delete;
    AsyncConnection& operator=(const AsyncConnection&) = delete;

    // Callbacks run on the loop; a broken connection fails every queued
    // statement with ErrorCode::database and then calls the broken handler.
    void exec(store::Statement statement, Callback done);
    void on_notify(NotifyHandler handler) { m_on_notify = std::move(handler); }
    void on_broken(BrokenHandler handler) { m_on_broken = std::move(handler); }
    bool broken() const { return m_broken; }
    bool busy() const { return m_in_flight || !m_queue.empty(); }

private:
    AsyncConnection(event_base* base, store::Connection connection);
    static void on_socket(evutil_socket_t, short what, void* self) noexcept;
    void readable();
    void writable();
    void send_next();
    void flush();
    void fail(const std::string& message);
    void drain_notifications();

    struct Pending {
        store::Statement statement;
        Callback done;
    };

    event_base* m_base;
    store::Connection m_connection;
    Event m_read;
    Event m_write;
    std::deque<Pending> m_queue;
    bool m_in_flight = false;
    std::optional<store::Rows> m_result;
    bool m_broken = false;
    NotifyHandler m_on_notify;
    BrokenHandler m_on_broken;
};

} // namespace lr::daemon
