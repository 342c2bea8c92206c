// The database connections of a threaded server, shared by its threads
// (libmilter's in the milter, libmicrohttpd's in leadweb). A connection taken is a
// PooledConnection: it goes back to the pool when it goes out of scope (or is closed, when it is no
// longer sound or was discarded), so none can be forgotten. At most max_open exist at once; a
// thread that finds them all in use waits up to max_wait and then gets an
// error (the milter answers 451 and the sender retries; leadweb answers
// 503), instead of opening connections until PostgreSQL refuses everyone.
#pragma once

#include "metrics/registry.hpp"
#include "store/pg.hpp"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

namespace lr::store {

class ConnectionPool;

// Counts one leadrouter_database_reconnects_total: a connection opened to
// replace one that was lost (the pool's, leadd's session).
void count_reconnect();
// The counter itself, registered at zero (each process declares it at
// start, so the series exists before the first loss).
metrics::Counter& reconnect_counter();

class PooledConnection {
public:
    PooledConnection(PooledConnection&& other) noexcept;
    PooledConnection& operator=(PooledConnection&&) = delete;
    PooledConnection(const PooledConnection&) = delete;
    ~PooledConnection();

    Connection& operator*() { return *m_connection; }
    Connection* operator->() { return &*m_connection; }
    // Closed instead of reused (after a statement failed on it).
    void discard() { m_discard = true; }

private:
    friend class ConnectionPool;
    PooledConnection(ConnectionPool& pool, Connection connection)
        : m_pool(&pool), m_connection(std::move(connection)) {}
    ConnectionPool* m_pool;
    std::optional<Connection> m_connection;
    bool m_discard = false;
};

class ConnectionPool {
public:
    // prepared_statements=false: the connections run without named
    // statements (system.milter.prepared_statements, for PgBouncer < 1.21
    // in transaction pooling).
    ConnectionPool(std::string conninfo, size_t max_open,
                   std::chrono::milliseconds max_wait = std::chrono::seconds(10),
                   bool prepared_statements = true)
        : m_conninfo(std::move(conninfo)), m_max_open(max_open), m_max_wait(max_wait),
          m_prepared_statements(prepared_statements) {}

    Result<PooledConnection> take();
    void set_conninfo(std::string conninfo); // after a reload; idle ones are closed
    size_t open_connections();               // idle and in use

private:
    friend class PooledConnection;
    void give_back(Connection connection, bool discard);

    std::mutex m_mutex;
    std::condition_variable m_freed;
    std::string m_conninfo;
    size_t m_max_open;
    std::chrono::milliseconds m_max_wait;
    bool m_prepared_statements;
    size_t m_open = 0; // idle and in use
    std::vector<Connection> m_idle;
    // Connections closed broken whose replacement is not open yet: the
    // next openings are reconnects (leadrouter_database_reconnects_total).
    size_t m_lost = 0;
};

} // namespace lr::store
