#include "store/connection_pool.hpp"

namespace lr::store {

PooledConnection::PooledConnection(PooledConnection&& other) noexcept
    : m_pool(other.m_pool), m_connection(std::move(other.m_connection)),
      m_discard(other.m_discard) {
    other.m_connection.reset();
}

PooledConnection::~PooledConnection() {
    if (m_connection)
        m_pool->give_back(std::move(*m_connection), m_discard);
}

metrics::Counter& reconnect_counter() {
    static auto& reconnects =
        metrics::process().counter("leadrouter_database_reconnects_total",
                                   "Database connections opened again after one was lost");
    return reconnects;
}

void count_reconnect() {
    reconnect_counter().add();
}

Result<PooledConnection> ConnectionPool::take() {
    std::string conninfo;
    {
        std::unique_lock lock(m_mutex);
        const bool free = m_freed.wait_for(lock, m_max_wait,
                                           [&] { return !m_idle.empty() || m_open < m_max_open; });
        if (!free)
            return make_error(ErrorCode::database,
                              "database: all " + std::to_string(m_max_open) +
                                  " connections of the milter are busy (waited " +
                                  std::to_string(m_max_wait.count()) + " ms)");
        if (!m_idle.empty()) {
            Connection connection = std::move(m_idle.back());
            m_idle.pop_back();
            return PooledConnection(*this, std::move(connection));
        }
        ++m_open; // reserved while it is being opened
        conninfo = m_conninfo;
    }
    auto connection = Connection::open(conninfo);
    if (connection && !m_prepared_statements)
        connection->disable_prepared_statements();
    // A hanging database must not hold the SMTP session until Postfix's
    // milter timeout: give up, answer 4xx, and let the sender retry.
    // No JIT either: these are short statements, and a cost estimate past
    // jit_above_cost would compile for longer than they run.
    Result<store::Rows> set = connection
                                  ? connection->exec("SELECT set_config('statement_timeout', "
                                                     "'20s', false), set_config('jit', "
                                                     "'off', false)")
                                  : Result<store::Rows>(connection.error());
    if (!set) {
        std::lock_guard lock(m_mutex);
        --m_open;
        m_freed.notify_one();
        return set.error();
    }
    bool reconnect = false;
    {
        std::lock_guard lock(m_mutex);
        if (m_lost > 0) {
            --m_lost;
            reconnect = true;
        }
    }
    if (reconnect)
        count_reconnect();
    return PooledConnection(*this, std::move(connection).value());
}

void ConnectionPool::give_back(Connection connection, bool discard) {
    const bool broken = PQstatus(connection.raw()) != CONNECTION_OK;
    const bool sound = !discard && !broken && PQtransactionStatus(connection.raw()) == PQTRANS_IDLE;
    {
        std::lock_guard lock(m_mutex);
        if (sound)
            m_idle.push_back(std::move(connection));
        else
            --m_open; // closed below, outside the lock
        if (broken)
            ++m_lost;
    }
    m_freed.notify_one();
}

void ConnectionPool::set_conninfo(std::string conninfo) {
    std::lock_guard lock(m_mutex);
    if (conninfo != m_conninfo) {
        m_open -= m_idle.size();
        m_idle.clear();
        m_freed.notify_all();
    }
    m_conninfo = std::move(conninfo);
}

size_t ConnectionPool::open_connections() {
    std::lock_guard lock(m_mutex);
    return m_open;
}

} // namespace lr::store
