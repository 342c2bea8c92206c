// Database connections for the milter's worker threads: one is taken for
// a message and given back after it, so no connection is ever used by two
// threads at once. A connection that failed is closed, not given back.
#pragma once

#include "store/pg.hpp"

#include <mutex>
#include <string>
#include <vector>

namespace lr::milter {

class ConnectionPool {
public:
    ConnectionPool(std::string conninfo, size_t max_idle)
        : m_conninfo(std::move(conninfo)), m_max_idle(max_idle) {}

    Result<store::Connection> take();
    void give_back(store::Connection connection);
    void set_conninfo(std::string conninfo); // after a reload; idle ones are closed

private:
    std::mutex m_mutex;
    std::string m_conninfo;
    size_t m_max_idle;
    std::vector<store::Connection> m_idle;
};

} // namespace lr::milter
