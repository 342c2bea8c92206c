#include "async_pg.hpp"

#include <cstdlib>

namespace lr::daemon {

namespace {

constexpr std::chrono::seconds default_connect_timeout{10};

std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.pop_back();
    return text;
}

// connect_timeout from the conninfo, else ours.
std::chrono::seconds connect_timeout_of(const std::string& conninfo) {
    char* error = nullptr;
    PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &error);
    if (error)
        PQfreemem(error);
    std::chrono::seconds timeout = default_connect_timeout;
    if (!options)
        return timeout;
    for (PQconninfoOption* option = options; option->keyword; ++option)
        if (std::string(option->keyword) == "connect_timeout" && option->val && *option->val) {
            long seconds = std::strtol(option->val, nullptr, 10);
            if (seconds >= 2) // libpq's own minimum
                timeout = std::chrono::seconds{seconds};
        }
    PQconninfoFree(options);
    return timeout;
}

} // namespace

std::unique_ptr<AsyncConnection>
AsyncConnection::connect(event_base* base, const std::string& conninfo, Handlers handlers) {
    // Keepalives notice a server that vanished without closing the TCP
    // connection (failover, a cut cable) in about a minute instead of two
    // hours. Listed before the conninfo, which therefore wins.
    const char* keywords[] = {"keepalives",
                              "keepalives_idle",
                              "keepalives_interval",
                              "keepalives_count",
                              "application_name",
                              "dbname",
                              nullptr};
    const char* values[] = {"1", "30", "10", "3", "leadd", conninfo.c_str(), nullptr};
    PGconn* conn = PQconnectStartParams(keywords, values, 1);
    return std::unique_ptr<AsyncConnection>(
        new AsyncConnection(base, conn, connect_timeout_of(conninfo), std::move(handlers)));
}

AsyncConnection::AsyncConnection(event_base* base, PGconn* conn,
                                 std::chrono::seconds connect_timeout, Handlers handlers)
    : m_base(base), m_conn(conn), m_owner(conn), m_handlers(std::move(handlers)) {
    m_connect_timer.reset(evtimer_new(m_base, &AsyncConnection::on_connect_timeout, this));
    timeval timeout{static_cast<time_t>(connect_timeout.count()), 0};
    evtimer_add(m_connect_timer.get(), &timeout);
    if (!m_conn || PQstatus(m_conn) == CONNECTION_BAD) {
        // Reported from the loop, not from inside connect(): the caller
        // has not stored the object yet.
        watch_connect(0);
        return;
    }
    watch_connect(EV_WRITE); // libpq: behave as if the last poll said WRITING
}

AsyncConnection::~AsyncConnection() = default;

void AsyncConnection::watch_connect(short what) {
    // The socket may change between polls (another host of a multi-host
    // conninfo), so the event is made anew for each step.
    evutil_socket_t fd = m_conn ? PQsocket(m_conn) : -1;
    if (what == 0 || fd < 0) {
        m_connect_event.reset(evtimer_new(m_base, &AsyncConnection::on_connect_event, this));
        timeval now{0, 0};
        evtimer_add(m_connect_event.get(), &now);
        return;
    }
    m_connect_event.reset(event_new(m_base, fd, what, &AsyncConnection::on_connect_event, this));
    event_add(m_connect_event.get(), nullptr);
}

void AsyncConnection::on_connect_event(evutil_socket_t, short, void* self) noexcept {
    static_cast<AsyncConnection*>(self)->poll_connect();
}

void AsyncConnection::on_connect_timeout(evutil_socket_t, short, void* self) noexcept {
    auto* connection = static_cast<AsyncConnection*>(self);
    if (connection->m_state == State::connecting)
        connection->fail("cannot connect: timed out");
}

void AsyncConnection::poll_connect() {
    if (m_state != State::connecting)
        return;
    if (!m_conn) {
        fail("cannot connect: out of memory");
        return;
    }
    switch (PQstatus(m_conn) == CONNECTION_BAD ? PGRES_POLLING_FAILED : PQconnectPoll(m_conn)) {
    case PGRES_POLLING_READING:
        watch_connect(EV_READ);
        return;
    case PGRES_POLLING_WRITING:
        watch_connect(EV_WRITE);
        return;
    case PGRES_POLLING_OK:
        connected();
        return;
    default:
        fail("cannot connect (" + trimmed(PQerrorMessage(m_conn)) + ")");
        return;
    }
}

void AsyncConnection::connected() {
    m_connect_event.reset();
    m_connect_timer.reset();
    if (PQsetnonblocking(m_conn, 1) != 0) {
        fail("cannot switch to non-blocking mode");
        return;
    }
    store::route_notices(m_conn);
    evutil_socket_t fd = PQsocket(m_conn);
    m_read.reset(event_new(m_base, fd, EV_READ | EV_PERSIST, &AsyncConnection::on_socket, this));
    m_write.reset(event_new(m_base, fd, EV_WRITE, &AsyncConnection::on_socket, this));
    event_add(m_read.get(), nullptr);
    m_state = State::ready;
    if (m_handlers.ready)
        m_handlers.ready();
    start_next_unit();
}

void AsyncConnection::on_socket(evutil_socket_t, short what, void* self) noexcept {
    auto* connection = static_cast<AsyncConnection*>(self);
    try {
        if ((what & EV_WRITE) && connection->m_state == State::ready)
            connection->flush();
        if (what & EV_READ)
            connection->readable();
    } catch (const std::exception& e) {
        connection->fail(std::string("internal error: ") + e.what());
    }
}

void AsyncConnection::run_transaction(std::shared_ptr<store::StatementSequence> sequence,
                                      TransactionDone done) {
    enqueue({std::move(sequence), std::nullopt, std::move(done), nullptr});
}

void AsyncConnection::run_statement(store::Statement statement, RowsDone done) {
    enqueue({nullptr, std::move(statement), nullptr, std::move(done)});
}

void AsyncConnection::enqueue(Unit unit) {
    if (m_state == State::broken) {
        Error lost = make_error(ErrorCode::database, "database: connection lost");
        if (unit.sequence)
            unit.transaction_done(lost);
        else
            unit.statement_done(lost);
        return;
    }
    m_units.push_back(std::move(unit));
    start_next_unit();
}

void AsyncConnection::start_next_unit() {
    if (m_unit_active || m_units.empty() || m_state != State::ready)
        return;
    if (PQtransactionStatus(m_conn) != PQTRANS_IDLE) {
        fail("a transaction was left open before the next unit of work (a bug)");
        return;
    }
    m_unit_active = true;
    Unit& unit = m_units.front();
    if (!unit.sequence) {
        send(*unit.statement, [this](Result<store::Rows> rows) { finish_unit(std::move(rows)); });
        return;
    }
    send({"BEGIN", {}}, [this](Result<store::Rows> rows) {
        if (!rows) {
            finish_unit(rows.error());
            return;
        }
        step(nullptr);
    });
}

void AsyncConnection::step(const store::Rows* previous) {
    std::optional<store::Statement> statement;
    try {
        statement = m_units.front().sequence->next(previous);
    } catch (const std::exception& e) {
        abort_unit(make_error(ErrorCode::internal, std::string("internal error: ") + e.what()));
        return;
    }
    if (!statement) {
        send({"COMMIT", {}}, [this](Result<store::Rows> rows) { finish_unit(std::move(rows)); });
        return;
    }
    if (store::controls_transaction(statement->sql)) {
        abort_unit(make_error(ErrorCode::internal,
                              "database: a statement sequence tried to control its transaction "
                              "(in: " +
                                  statement->sql.substr(0, 40) + ")"));
        return;
    }
    send(*statement, [this](Result<store::Rows> rows) {
        if (!rows) {
            abort_unit(rows.error());
            return;
        }
        step(&rows.value());
    });
}

void AsyncConnection::abort_unit(Error error) {
    if (m_state != State::ready) {
        finish_unit(std::move(error));
        return;
    }
    send({"ROLLBACK", {}}, [this, error](Result<store::Rows>) { finish_unit(error); });
}

void AsyncConnection::finish_unit(Result<store::Rows> outcome) {
    if (m_units.empty())
        return; // fail() has already answered every unit
    Unit unit = std::move(m_units.front());
    m_units.pop_front();
    m_unit_active = false;
    // The next unit may be queued by the callback itself; it starts after.
    if (unit.sequence) {
        if (outcome)
            unit.transaction_done({});
        else
            unit.transaction_done(outcome.error());
    } else {
        unit.statement_done(std::move(outcome));
    }
    start_next_unit();
}

void AsyncConnection::send(const store::Statement& statement, RowsDone then) {
    std::vector<const char*> values;
    std::vector<int> lengths, formats;
    for (const auto& param : statement.params) {
        values.push_back(param ? param.data() : nullptr);
        lengths.push_back(param ? static_cast<int>(param.size()) : 0);
        formats.push_back(param.is_borrowed() ? 1 : 0); // bytes; text needs no length
    }
    m_then = std::move(then);
    m_in_flight_sql = statement.sql;
    if (!PQsendQueryParams(m_conn, statement.sql.c_str(), static_cast<int>(values.size()), nullptr,
                           values.data(), lengths.data(), formats.data(), 0)) {
        fail(PQerrorMessage(m_conn));
        return;
    }
    flush();
}

void AsyncConnection::flush() {
    int rc = PQflush(m_conn);
    if (rc < 0)
        fail(PQerrorMessage(m_conn));
    else if (rc > 0)
        event_add(m_write.get(), nullptr); // more to send once the socket takes it
}

void AsyncConnection::readable() {
    if (m_state != State::ready)
        return;
    if (!PQconsumeInput(m_conn)) {
        fail(PQerrorMessage(m_conn));
        return;
    }
    while (m_then && !PQisBusy(m_conn)) {
        PGresult* result = PQgetResult(m_conn);
        if (result) {
            m_result.emplace(result); // owns it; the last one of a statement wins
            continue;
        }
        // The statement is complete.
        RowsDone then = std::move(m_then);
        m_then = nullptr;
        Result<store::Rows> outcome =
            make_error(ErrorCode::database, "database: no result (in: " + m_in_flight_sql + ")");
        if (m_result) {
            PGresult* raw = m_result->raw();
            auto status = PQresultStatus(raw);
            if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
                outcome = std::move(*m_result);
            else
                outcome = store::query_error(m_conn, raw, m_in_flight_sql);
            m_result.reset();
        }
        then(std::move(outcome));
        if (m_state != State::ready)
            return;
    }
    drain_notifications();
}

void AsyncConnection::drain_notifications() {
    while (PGnotify* notify = PQnotifies(m_conn)) {
        std::string channel = notify->relname;
        PQfreemem(notify);
        if (m_handlers.notify)
            m_handlers.notify(channel);
    }
}

void AsyncConnection::fail(const std::string& message) {
    if (m_state == State::broken)
        return;
    const bool was_connecting = m_state == State::connecting;
    m_state = State::broken;
    m_connect_event.reset();
    m_connect_timer.reset();
    if (m_read)
        event_del(m_read.get());
    if (m_write)
        event_del(m_write.get());
    std::string reason = trimmed(message);
    Error error = make_error(ErrorCode::database,
                             was_connecting ? "database: " + reason
                                            : "database: connection lost (" + reason + ")");
    // Every queued unit fails: nothing of a transaction cut off here was
    // committed (the server rolls it back when the session ends).
    m_then = nullptr;
    auto units = std::move(m_units);
    m_units.clear();
    m_unit_active = false;
    for (auto& unit : units) {
        if (unit.sequence)
            unit.transaction_done(error);
        else
            unit.statement_done(error);
    }
    if (m_handlers.broken)
        m_handlers.broken(error);
}

} // namespace lr::daemon
