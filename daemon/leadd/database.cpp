#include "database.hpp"

#include "log/log.hpp"
#include "store/channels.hpp"
#include "store/connection_pool.hpp"

#include <algorithm>
#include <cstdlib>

namespace lr::daemon {

namespace {

// leadd's own statements are short; a statement that runs longer is stuck
// (a lock held by a crashed client, a server in trouble) and is better
// cancelled and retried. A transaction left idle is our bug: the server
// ends it rather than hold its locks. No JIT: the planner's cost estimate
// of a batch's lead facts (500 leads, correlated subqueries) passes
// jit_above_cost, and compiling it took 345 ms of a batch that runs in
// 5 ms (assign_bench, 100,000 leads: 1,677 leads/s with it).
const store::Statement session_settings{
    "SELECT set_config('statement_timeout', '60s', false), "
    "set_config('idle_in_transaction_session_timeout', '60s', false), "
    "set_config('jit', 'off', false)",
    {}};

const store::Statement clock_query{"SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint",
                                   {}};

} // namespace

Database::Database(event_base* base, std::string conninfo, Clock& clock, Handlers handlers)
    : m_base(base), m_conninfo(std::move(conninfo)), m_clock(clock),
      m_handlers(std::move(handlers)) {
    m_retry.reset(evtimer_new(m_base, &Database::on_retry, this));
}

void Database::start() {
    begin_connect();
}

void Database::begin_connect() {
    if (m_stopped)
        return;
    m_listening = false;
    m_connection.reset(); // from the retry timer: never inside one of its callbacks
    m_connection = AsyncConnection::connect(m_base, m_conninfo,
                                            {[this] { session_ready(); },
                                             [this](const Error& error) { session_lost(error); },
                                             [this](const std::string& channel) {
                                                 if (m_handlers.notify)
                                                     m_handlers.notify(channel);
                                             }});
}

void Database::session_ready() {
    AsyncConnection& connection = *m_connection;
    auto report = [](Result<store::Rows> rows) {
        if (!rows)
            log::error(rows.error().message);
    };
    connection.run_statement(session_settings, report);
    for (const char* channel :
         {store::channel::outbox, store::channel::schedule, store::channel::new_lead})
        connection.run_statement({std::string("LISTEN ") + channel, {}}, report);
    measure_clock();
    // Queued after the LISTENs: whatever is committed from here on wakes
    // us, and the catch-up pass sees everything committed before.
    connection.run_statement({"SELECT 1", {}}, [this](Result<store::Rows> rows) {
        if (!rows)
            return; // the session is lost; session_lost retries
        m_failures = 0;
        m_listening = true;
        if (m_was_connected)
            store::count_reconnect();
        m_was_connected = true;
        log::info("listening for new leads");
        if (m_handlers.connection_changed)
            m_handlers.connection_changed(m_connection.get());
        if (m_handlers.caught_up)
            m_handlers.caught_up();
    });
}

void Database::measure_clock() {
    if (!m_connection || m_connection->broken())
        return;
    auto sent = m_clock.local_now();
    m_connection->run_statement(clock_query, [this, sent](Result<store::Rows> rows) {
        if (!rows || rows->empty())
            return;
        auto received = m_clock.local_now();
        auto local_mid = sent + (received - sent) / 2;
        std::chrono::milliseconds database{rows->integer(0, 0)};
        auto offset = std::chrono::duration_cast<std::chrono::milliseconds>(
            database - local_mid.time_since_epoch());
        if (std::chrono::abs(offset - m_clock.database_offset()) > std::chrono::seconds{2})
            log::warning("this host's clock differs from the database's; leadd uses the "
                         "database's",
                         {{"OFFSET_MS", std::to_string(offset.count())}});
        m_clock.set_database_offset(offset);
    });
}

void Database::session_lost(const Error& error) {
    const bool was_listening = m_listening;
    m_listening = false;
    log::error(error.message);
    if (was_listening && m_handlers.connection_changed)
        m_handlers.connection_changed(nullptr);
    if (m_handlers.lost)
        m_handlers.lost(error);
    schedule_retry();
}

void Database::schedule_retry() {
    if (m_stopped)
        return;
    const int base = std::min(30, 1 << std::min(m_failures++, 5));
    // Between half and all of the base delay.
    std::uniform_int_distribution<int> spread(base * 500, base * 1000);
    const int ms = spread(m_jitter);
    timeval delay{ms / 1000, (ms % 1000) * 1000};
    evtimer_add(m_retry.get(), &delay);
}

void Database::on_retry(evutil_socket_t, short, void* self) noexcept {
    static_cast<Database*>(self)->begin_connect();
}

void Database::change_conninfo(const std::string& conninfo) {
    if (conninfo == m_conninfo)
        return;
    m_conninfo = conninfo;
    log::info("system.database changed: connecting to the new database");
    m_failures = 0;
    // Units in flight fail, their batches are retried on the new session
    // (nothing uncommitted was kept), and the retry connects to it.
    if (m_connection && !m_connection->broken())
        m_connection->close("system.database changed");
}

} // namespace lr::daemon
