#include "async_pg.hpp"

namespace lr::daemon {

Result<std::unique_ptr<AsyncConnection>> AsyncConnection::open(event_base* base,
                                                               const std::string& conninfo) {
    auto connection = store::Connection::open(conninfo);
    if (!connection)
        return connection.error();
    if (PQsetnonblocking(connection->raw(), 1) != 0)
        return make_error(ErrorCode::database, "database: cannot switch to non-blocking mode");
    return std::unique_ptr<AsyncConnection>(
        new AsyncConnection(base, std::move(connection).value()));
}

AsyncConnection::AsyncConnection(event_base* base, store::Connection connection)
    : m_base(base), m_connection(std::move(connection)) {
    evutil_socket_t fd = PQsocket(m_connection.raw());
    m_read.reset(event_new(m_base, fd, EV_READ | EV_PERSIST, &AsyncConnection::on_socket, this));
    m_write.reset(event_new(m_base, fd, EV_WRITE, &AsyncConnection::on_socket, this));
    event_add(m_read.get(), nullptr);
}

AsyncConnection::~AsyncConnection() = default;

void AsyncConnection::on_socket(evutil_socket_t, short what, void* self) noexcept {
    auto* connection = static_cast<AsyncConnection*>(self);
    try {
        if (what & EV_WRITE)
            connection->writable();
        if (what & EV_READ)
            connection->readable();
    } catch (const std::exception& e) {
        connection->fail(std::string("internal error: ") + e.what());
    }
}

void AsyncConnection::exec(store::Statement statement, Callback done) {
    if (m_broken) {
        done(make_error(ErrorCode::database, "database: connection lost"));
        return;
    }
    m_queue.push_back({std::move(statement), std::move(done)});
    if (!m_in_flight)
        send_next();
}

void AsyncConnection::send_next() {
    if (m_in_flight || m_queue.empty() || m_broken)
        return;
    const auto& statement = m_queue.front().statement;
    std::vector<const char*> values;
    values.reserve(statement.params.size());
    for (const auto& param : statement.params)
        values.push_back(param ? param->c_str() : nullptr);
    if (!PQsendQueryParams(m_connection.raw(), statement.sql.c_str(),
                           static_cast<int>(values.size()), nullptr, values.data(), nullptr,
                           nullptr, 0)) {
        fail(PQerrorMessage(m_connection.raw()));
        return;
    }
    m_in_flight = true;
    flush();
}

void AsyncConnection::flush() {
    int rc = PQflush(m_connection.raw());
    if (rc < 0)
        fail(PQerrorMessage(m_connection.raw()));
    else if (rc > 0)
        event_add(m_write.get(), nullptr); // more to send once the socket takes it
}

void AsyncConnection::writable() {
    if (!m_broken)
        flush();
}

void AsyncConnection::readable() {
    if (m_broken)
        return;
    if (!PQconsumeInput(m_connection.raw())) {
        fail(PQerrorMessage(m_connection.raw()));
        return;
    }
    while (m_in_flight && !PQisBusy(m_connection.raw())) {
        PGresult* result = PQgetResult(m_connection.raw());
        if (result) {
            m_result.emplace(result); // owns it; the last one of a statement wins
            continue;
        }
        // The statement is complete.
        m_in_flight = false;
        Pending done = std::move(m_queue.front());
        m_queue.pop_front();
        Result<store::Rows> outcome =
            make_error(ErrorCode::database, "database: no result (in: " + done.statement.sql + ")");
        if (m_result) {
            PGresult* raw = m_result->raw();
            auto status = PQresultStatus(raw);
            if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
                outcome = std::move(*m_result);
            else
                outcome = store::query_error(m_connection.raw(), raw, done.statement.sql);
            m_result.reset();
        }
        done.done(std::move(outcome));
        if (m_broken)
            return;
        send_next();
    }
    drain_notifications();
}

void AsyncConnection::drain_notifications() {
    while (PGnotify* notify = PQnotifies(m_connection.raw())) {
        std::string channel = notify->relname;
        PQfreemem(notify);
        if (m_on_notify)
            m_on_notify(channel);
    }
}

void AsyncConnection::fail(const std::string& message) {
    if (m_broken)
        return;
    m_broken = true;
    event_del(m_read.get());
    event_del(m_write.get());
    std::string reason = message;
    while (!reason.empty() && (reason.back() == '\n' || reason.back() == ' '))
        reason.pop_back();
    Error error = make_error(ErrorCode::database, "database: connection lost (" + reason + ")");
    auto pending = std::move(m_queue);
    m_queue.clear();
    m_in_flight = false;
    for (auto& item : pending)
        item.done(error);
    if (m_on_broken)
        m_on_broken(error);
}

} // namespace lr::daemon
