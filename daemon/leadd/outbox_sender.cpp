#include "outbox_sender.hpp"

#include "leadd_metrics.hpp"
#include "log/log.hpp"
#include "outbox_mail.hpp"
#include "smtp_credentials.hpp"
#include "util/strings.hpp"
#include "web/key_ring.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>

namespace lr::daemon {

namespace {
// A lease long enough for a slow server; a crashed sender's mails are
// picked up again when it runs out.
constexpr int lease_seconds = 600;
constexpr size_t max_in_flight = 16;
} // namespace

OutboxSender::OutboxSender(event_base* base, ConfigSource config, const Clock& clock,
                           int batch_size, std::string holder)
    : BatchLoop(base), m_config(std::move(config)), m_clock(clock), m_batch_size(batch_size),
      m_holder(std::move(holder)), m_smtp(base) {}

namespace {

// "leadd@host:pid" of this host whose process is gone.
bool is_dead_holder(const std::string& holder, const std::string& own) {
    if (holder == own)
        return false;
    const auto colon = holder.rfind(':');
    char* end = nullptr;
    const long pid = std::strtol(holder.c_str() + colon + 1, &end, 10);
    if (colon == std::string::npos || pid <= 0 || *end != '\0')
        return false;
    return ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

} // namespace

void OutboxSender::reclaim_dead_leases() {
    if (!has_connection())
        return;
    const std::string prefix = m_holder.substr(0, m_holder.rfind(':') + 1);
    connection().run_statement(
        store::lease_holders(prefix, m_clock.now()), [this](Result<store::Rows> rows) {
            std::vector<std::string> dead;
            bool own = false;
            for (int i = 0; rows && i < rows->size(); ++i) {
                if (is_dead_holder(rows->text(i, 0), m_holder))
                    dead.push_back(rows->text(i, 0));
                own = own || rows->text(i, 0) == m_holder;
            }
            if (own && !m_leasing && has_connection()) {
                // No lease of ours is on its way, so every lease under our
                // name that we do not hold is one whose answer was lost.
                connection().run_statement(
                    store::release_stale_leases(
                        m_holder, std::vector<long long>(m_held.begin(), m_held.end())),
                    [](Result<store::Rows> released) {
                        if (released && released->affected() > 0)
                            log::warning("took back outbox leases whose answer the database "
                                         "connection lost",
                                         {{"COUNT", std::to_string(released->affected())}});
                    });
            }
            if (dead.empty() || !has_connection()) {
                kick();
                return;
            }
            connection().run_statement(
                store::release_leases(dead), [this, dead](Result<store::Rows> released) {
                    if (released)
                        log::warning("took back the outbox leases of a leadd that is gone",
                                     {{"HOLDER", util::join(dead, ",")},
                                      {"COUNT", std::to_string(released->affected())}});
                    kick();
                });
        });
}

void OutboxSender::run_batch() {
    if (!m_unrecorded.empty()) {
        write_unrecorded();
        return;
    }
    m_leasing = true;
    connection().run_statement(store::lease_outbox(m_clock.now(), m_batch_size, lease_seconds,
                                                   m_config()->dealer_ids(), m_holder),
                               [this](Result<store::Rows> rows) {
                                   m_leasing = false;
                                   if (!rows) {
                                       log::error("outbox: " + rows.error().message);
                                       batch_failed(rows.error());
                                       return;
                                   }
                                   auto mails = store::read_leased(*rows);
                                   for (const auto& mail : mails)
                                       m_held.insert(mail.id);
                                   m_full = static_cast<int>(mails.size()) >= m_batch_size;
                                   m_open = mails.size();
                                   if (mails.empty()) {
                                       batch_done(false);
                                       return;
                                   }
                                   m_waiting.assign(mails.begin(), mails.end());
                                   send_next();
                               });
}

// Outcomes of sends that ended while the database was away, oldest first,
// before anything new is leased: the mails are still leased to us, so
// nobody sends them again meanwhile, and a mail that was delivered is
// recorded as sent instead of being sent again when its lease runs out.
void OutboxSender::write_unrecorded() {
    connection().run_statement(m_unrecorded.front().second, [this](Result<store::Rows> rows) {
        if (!rows) {
            log::error("outbox: " + rows.error().message);
            if (has_connection())
                m_unrecorded.pop_front(); // refused, not lost: the lease runs out (still held)
            batch_failed(rows.error());
            return;
        }
        m_held.erase(m_unrecorded.front().first);
        m_unrecorded.pop_front();
        run_batch();
    });
}

void OutboxSender::send_next() {
    while (m_sending < max_in_flight && !m_waiting.empty()) {
        auto mail = std::move(m_waiting.front());
        m_waiting.pop_front();
        send(mail);
    }
}

void OutboxSender::send(const store::OutboxMail& row) {
    auto config = m_config();
    // The link keys are read for each notice, like the SMTP credentials:
    // a rotated key works without a restart. A notice whose links cannot
    // be signed still goes out, without them.
    std::optional<web::KeyRing> links;
    if (config->system.web.public_url && !row.user_id.empty() && row.lead_id) {
        auto ring = web::read_key_ring(config->system.web.secret_file);
        if (ring)
            links = std::move(*ring);
        else
            log::error("notice sent without links: " + ring.error().message,
                       {{"OUTBOX_ID", std::to_string(row.id)}, {"DEALER", row.dealer_id}});
    }
    auto prepared = prepare_mail(*config, row, m_clock.now(), links ? &*links : nullptr);
    SendAttempt attempt = send_attempt_of(row);
    const log::Fields fields = {{"OUTBOX_ID", std::to_string(row.id)},
                                {"DEALER", row.dealer_id},
                                {"MESSAGE_ID", row.message_id}};
    if (!prepared) {
        give_up(attempt, prepared.error().message, fields);
        return;
    }
    if (!prepared->suppressed.empty())
        log::info("mail suppressed for external recipients (send_external_mail: false)", fields);
    if (prepared->job.recipients.empty()) {
        record(row.id,
               store::mark_failed(row.id, "suppressed: send_external_mail is false", "suppressed"));
        return;
    }
    prepared->job.timeout_seconds = smtp_time_limit(prepared->job.message.size());
    if (const auto& file = prepared->job.security.credentials_file) {
        // A credentials file that cannot be used is the sysadmin's to fix:
        // the mail waits for it like for a server that answers 4xx.
        auto credentials = read_smtp_credentials(*file);
        if (!credentials) {
            settle(attempt, {false, false, 0, credentials.error().message}, fields);
            return;
        }
        prepared->job.username = std::move(credentials->username);
        prepared->job.password = std::move(credentials->password);
    }
    ++m_sending;
    m_smtp.send(std::move(prepared->job),
                [this, attempt = std::move(attempt), fields](const SmtpOutcome& outcome) {
                    --m_sending;
                    send_next();
                    settle(attempt, outcome, fields);
                });
}

void OutboxSender::settle(const SendAttempt& attempt, const SmtpOutcome& outcome,
                          const log::Fields& fields) {
    const auto now = m_clock.now();
    if (outcome.delivered) {
        ++m_total_sent;
        metrics::count_send(metrics::SendOutcome::sent);
        log::info("mail sent", fields);
        record(attempt.id, store::mark_sent(attempt.id, now));
    } else if (outcome.permanent) {
        give_up(attempt, outcome.detail, fields);
    } else if (now - attempt.queued_since >= m_config()->system.max_queue_lifetime) {
        give_up(attempt, outcome.detail + " (still refused after max_queue_lifetime)", fields);
    } else {
        metrics::count_send(metrics::SendOutcome::deferred);
        log::warning("mail deferred: " + outcome.detail, fields);
        record(attempt.id, store::mark_retry(attempt.id, now + store::retry_delay(attempt.attempts),
                                             outcome.detail));
    }
}

// A 5xx, a mail that cannot be built, or a 4xx past max_queue_lifetime:
// failed with the reason, and the dealer's admin user hears of it.
void OutboxSender::give_up(const SendAttempt& attempt, const std::string& error,
                           const log::Fields& fields) {
    const auto now = m_clock.now();
    auto notice = failure_notice(*m_config(), attempt, error, now);
    metrics::count_send(metrics::SendOutcome::failed);
    log::error("mail failed: " + error + (notice ? " (the admin user is told)" : ""), fields);
    record(attempt.id, store::give_up(attempt.id, error, notice, now));
}

void OutboxSender::record(long long id, store::Statement statement) {
    auto keep = [this, id](store::Statement unrecorded) {
        log::warning("outbox: the outcome of a send is kept until the database is back");
        m_unrecorded.emplace_back(id, std::move(unrecorded));
        if (--m_open == 0)
            batch_done(m_full);
    };
    if (!has_connection()) {
        keep(std::move(statement));
        return;
    }
    connection().run_statement(statement, [this, id, keep, statement](Result<store::Rows> rows) {
        if (!rows && !has_connection()) {
            keep(statement);
            return;
        }
        if (rows)
            m_held.erase(id);
        else // refused, not lost: the lease runs out
            log::error("outbox: " + rows.error().message);
        if (--m_open == 0)
            batch_done(m_full);
    });
}

} // namespace lr::daemon
