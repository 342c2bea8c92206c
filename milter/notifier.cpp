#include "notifier.hpp"

#include "log/log.hpp"

namespace lr::milter {

namespace {
constexpr auto min_interval = std::chrono::milliseconds(20);
}

Notifier::Notifier(store::ConnectionPool& pool) : m_pool(pool), m_thread([this] { run(); }) {}

Notifier::~Notifier() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_changed.notify_one();
    m_thread.join();
}

void Notifier::wake(const std::string& channel) {
    {
        std::lock_guard lock(m_mutex);
        m_pending.insert(channel);
    }
    m_changed.notify_one();
}

void Notifier::run() {
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_changed.wait(lock, [this] { return m_stopping || !m_pending.empty(); });
        if (m_pending.empty())
            return; // stopping, nothing left to send
        std::set<std::string> channels;
        channels.swap(m_pending);
        lock.unlock();
        send(channels);
        lock.lock();
        // Under load, wakes gather for a moment and go out as one: each
        // NOTIFY is a transaction of its own on the server.
        m_changed.wait_for(lock, min_interval, [this] { return m_stopping; });
    }
}

void Notifier::send(const std::set<std::string>& channels) {
    // The lead is durable already; the wake need not be: no disk flush.
    std::string sql = "BEGIN; SET LOCAL synchronous_commit = off; ";
    for (const auto& channel : channels)
        sql += "NOTIFY " + channel + "; ";
    sql += "COMMIT";
    auto connection = m_pool.take();
    if (!connection) {
        log::warning("cannot wake leadd; it finds the leads at its next poll",
                     {{"ERROR", connection.error().message}});
        return;
    }
    if (auto sent = (*connection)->exec_script(sql); !sent) {
        log::warning("cannot wake leadd; it finds the leads at its next poll",
                     {{"ERROR", sent.error().message}});
        connection->discard();
    }
}

} // namespace lr::milter
