// libpq on the libevent loop, nothing blocking: the connection is made with
// PQconnectStartParams/PQconnectPoll while libevent watches the socket
// (with a connect timeout of our own: libpq enforces connect_timeout only
// in its blocking calls), then statements run in non-blocking mode.
//
// Work is queued as whole units: one transaction (a StatementSequence that
// this class wraps in BEGIN … COMMIT, or ROLLBACK on error) or one
// statement outside any transaction. The next unit starts only when the
// previous one has ended, so the assigner, the scheduler and the outbox
// sender can share the connection and still never run a statement inside
// another's transaction, nor commit it. There is no way to send a single
// statement into an open transaction: before each unit the server must
// report the session idle, and a sequence that tries to begin or end a
// transaction itself is refused. Both would be our bug; the unit fails
// with ErrorCode::internal and the connection is dropped.
#pragma once

#include "event_handles.hpp"
#include "store/statement_sequence.hpp"

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace lr::daemon {

class AsyncConnection {
public:
    using RowsDone = std::function<void(Result<store::Rows>)>;
    using TransactionDone = std::function<void(Result<void>)>;

    // Called on the loop. None of them may destroy the connection: its
    // owner defers that (a timer), since the connection is still on the
    // stack when they run.
    struct Handlers {
        std::function<void()> ready;                            // connected
        std::function<void(const Error&)> broken;               // failed or lost, once
        std::function<void(const std::string& channel)> notify; // a NOTIFY arrived
    };

    // Starts connecting; the handlers say how it went. Our own keepalive
    // settings come first, so the conninfo's own settings win.
    static std::unique_ptr<AsyncConnection> connect(event_base* base, const std::string& conninfo,
                                                    Handlers handlers);
    ~AsyncConnection();
    AsyncConnection(const AsyncConnection&) = delete;
    AsyncConnection& operator=(const AsyncConnection&) = delete;

    // Queue a whole unit. On a broken connection (or one lost while the
    // unit waits) done gets ErrorCode::database; nothing was committed
    // unless done got success.
    void run_transaction(std::shared_ptr<store::StatementSequence> sequence, TransactionDone done);
    void run_statement(store::Statement statement, RowsDone done);

    // Ends the session now: queued units fail, the broken handler runs.
    void close(const std::string& why) { fail("closed: " + why); }
    bool ready() const { return m_state == State::ready; }
    bool broken() const { return m_state == State::broken; }

private:
    enum class State { connecting, ready, broken };
    struct Unit {
        std::shared_ptr<store::StatementSequence> sequence; // null: a single statement
        std::optional<store::Statement> statement;
        TransactionDone transaction_done;
        RowsDone statement_done;
    };

    AsyncConnection(event_base* base, PGconn* conn, std::chrono::seconds connect_timeout,
                    Handlers handlers);
    static void on_connect_event(evutil_socket_t, short, void* self) noexcept;
    static void on_connect_timeout(evutil_socket_t, short, void* self) noexcept;
    static void on_socket(evutil_socket_t, short what, void* self) noexcept;
    void poll_connect();
    void watch_connect(short what);
    void connected();

    void enqueue(Unit unit);
    void start_next_unit();
    void step(const store::Rows* previous);
    void abort_unit(Error error);
    void finish_unit(Result<store::Rows> outcome);
    void send(const store::Statement& statement, RowsDone then);

    void readable();
    void flush();
    void fail(const std::string& message);
    void drain_notifications();

    event_base* m_base;
    PGconn* m_conn; // owned by m_owner once connected, by this class before
    std::unique_ptr<PGconn, store::PgConnDeleter> m_owner;
    Handlers m_handlers;
    State m_state = State::connecting;
    Event m_connect_event;
    Event m_connect_timer;
    Event m_read;
    Event m_write;

    std::deque<Unit> m_units; // the front one runs while m_unit_active
    bool m_unit_active = false;
    RowsDone m_then; // the statement in flight, if any
    std::string m_in_flight_sql;
    std::optional<store::Rows> m_result;
};

} // namespace lr::daemon
