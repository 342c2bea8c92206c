// Sends the outbox (SPEC §8): leases due mails in batches, sends up to
// max_in_flight at once over SMTP, and records each outcome as it comes:
// sent; temporary failure (4xx, refused, timeout) → retried with
// exponential backoff; permanent failure (5xx) → failed with the server's
// answer; everything suppressed by send_external_mail → suppressed.
// At most max_in_flight SMTP sessions run at once (a mail server limits
// concurrent connections per client, Postfix by default to 50).
#pragma once

#include "async_pg.hpp"
#include "clock.hpp"
#include "core/config.hpp"
#include "smtp_client.hpp"
#include "store/outbox_store.hpp"

#include <deque>
#include <functional>
#include <memory>

namespace lr::daemon {

class OutboxSender {
public:
    using ConfigSource = std::function<std::shared_ptr<const core::Config>()>;

    OutboxSender(event_base* base, ConfigSource config, const Clock& clock, int batch_size);

    void set_connection(AsyncConnection* connection) { m_connection = connection; }
    void kick();
    void stop() { m_stopped = true; }
    bool running() const { return m_running; }
    void on_idle(std::function<void()> handler) { m_on_idle = std::move(handler); }
    // The lease query failed (the next kick tries again).
    void on_failure(std::function<void(const Error&)> handler) {
        m_on_failure = std::move(handler);
    }
    long long total_sent() const { return m_total_sent; }

private:
    void lease();
    void send_next();
    void send(const store::OutboxMail& row);
    void record(store::Statement statement);
    void batch_done();

    event_base* m_base;
    ConfigSource m_config;
    const Clock& m_clock;
    int m_batch_size;
    AsyncConnection* m_connection = nullptr;
    SmtpClient m_smtp;
    bool m_running = false;
    bool m_again = false;
    bool m_stopped = false;
    bool m_full = false;
    size_t m_open = 0; // sends and result writes of the current batch
    size_t m_sending = 0;
    std::deque<store::OutboxMail> m_waiting; // leased, not yet handed to SMTP
    long long m_total_sent = 0;
    std::function<void()> m_on_idle;
    std::function<void(const Error&)> m_on_failure;
};

} // namespace lr::daemon
