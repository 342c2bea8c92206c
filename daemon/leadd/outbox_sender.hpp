// Sends the outbox (SPEC §8): leases due mails in batches, sends up to
// max_in_flight at once over SMTP, and records each outcome as it comes:
// sent; temporary failure (4xx, refused, timeout) → retried with
// exponential backoff; permanent failure (5xx) → failed with the server's
// answer; everything suppressed by send_external_mail → suppressed. A mail
// still refused with 4xx max_queue_lifetime after it was queued is given
// up like a 5xx, and the dealer's admin user is told of every mail given up.
// At most max_in_flight SMTP sessions run at once (a mail server limits
// concurrent connections per client, Postfix by default to 50).
#pragma once

#include "batch_loop.hpp"
#include "clock.hpp"
#include "core/config.hpp"
#include "log/log.hpp"
#include "outbox_mail.hpp"
#include "smtp_client.hpp"
#include "store/outbox_store.hpp"

#include <deque>
#include <functional>
#include <memory>
#include <set>

namespace lr::daemon {

class OutboxSender : public BatchLoop {
public:
    using ConfigSource = std::function<std::shared_ptr<const core::Config>()>;

    // holder: this daemon's name for its leases, "leadd@host:pid".
    OutboxSender(event_base* base, ConfigSource config, const Clock& clock, int batch_size,
                 std::string holder);

    // Takes back the leases of leadd processes of this host that are no
    // longer running (a crash, SIGKILL), and this process's own leases it
    // does not know of (a lease whose commit reached the database while
    // the answer was lost with the connection): their mails go out now
    // instead of when the lease runs out. Then a pass. Called after
    // (re)connecting.
    void reclaim_dead_leases();

    long long total_sent() const { return m_total_sent; }

private:
    void run_batch() override; // leases a batch and sends it
    void send_next();
    void send(const store::OutboxMail& row);
    // What the send's outcome makes of the row: sent, retried or given up.
    void settle(const SendAttempt& attempt, const SmtpOutcome& outcome, const log::Fields& fields);
    void give_up(const SendAttempt& attempt, const std::string& error, const log::Fields& fields);
    void record(long long id, store::Statement statement);
    void write_unrecorded();

    ConfigSource m_config;
    const Clock& m_clock;
    int m_batch_size;
    std::string m_holder;
    SmtpClient m_smtp;
    bool m_full = false;
    size_t m_open = 0; // sends and result writes of the current batch
    size_t m_sending = 0;
    std::deque<store::OutboxMail> m_waiting; // leased, not yet handed to SMTP
    std::deque<std::pair<long long, store::Statement>> m_unrecorded; // outcomes not yet taken
    // The rows whose leases this process knows it holds: leased and not
    // yet recorded. A lease under our name outside it is stale.
    std::set<long long> m_held;
    bool m_leasing = false; // a lease statement is on its way
    long long m_total_sent = 0;
};

} // namespace lr::daemon
