// Wakes leadd after a message is committed: NOTIFY on a connection of its
// own, from a thread of its own, after the message's transaction instead
// of inside it. A NOTIFY inside a transaction takes PostgreSQL's one
// database-wide notify lock until after that transaction's commit is
// flushed, so concurrent messages would commit one after the other, each
// with its own disk flush, instead of sharing flushes. The first wake goes
// out at once; what comes in during the next 20 ms goes out together then
// (at most 50 NOTIFY a second, however much mail comes in). A wake that
// cannot be sent (database away) is logged and left to leadd's minute
// poll: the lead itself is stored.
#pragma once

#include "store/connection_pool.hpp"

#include <condition_variable>
#include <mutex>
#include <set>
#include <string>
#include <thread>

namespace lr::milter {

class Notifier {
public:
    explicit Notifier(store::ConnectionPool& pool);
    ~Notifier(); // sends what is pending, then stops
    Notifier(const Notifier&) = delete;
    Notifier& operator=(const Notifier&) = delete;

    void wake(const std::string& channel);

private:
    void run();
    void send(const std::set<std::string>& channels);

    store::ConnectionPool& m_pool;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::set<std::string> m_pending;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace lr::milter
