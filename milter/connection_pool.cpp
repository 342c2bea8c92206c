#include "connection_pool.hpp"

namespace lr::milter {

Result<store::Connection> ConnectionPool::take() {
    std::string conninfo;
    {
        std::lock_guard lock(m_mutex);
        if (!m_idle.empty()) {
            store::Connection connection = std::move(m_idle.back());
            m_idle.pop_back();
            return connection;
        }
        conninfo = m_conninfo;
    }
    auto connection = store::Connection::open(conninfo);
    if (!connection)
        return connection.error();
    // A hanging database must not hold the SMTP session until Postfix's
    // milter timeout: give up, answer 4xx, and let the sender retry.
    if (auto set = connection->exec("SET statement_timeout = '20s'"); !set)
        return set.error();
    return connection;
}

void ConnectionPool::give_back(store::Connection connection) {
    if (PQstatus(connection.raw()) != CONNECTION_OK ||
        PQtransactionStatus(connection.raw()) != PQTRANS_IDLE)
        return;
    std::lock_guard lock(m_mutex);
    if (m_idle.size() < m_max_idle)
        m_idle.push_back(std::move(connection));
}

void ConnectionPool::set_conninfo(std::string conninfo) {
    std::lock_guard lock(m_mutex);
    if (conninfo != m_conninfo)
        m_idle.clear();
    m_conninfo = std::move(conninfo);
}

} // namespace lr::milter
