#include "retention.hpp"

#include "log/log.hpp"
#include "metrics/registry.hpp"

#include <cctype>

namespace lr::daemon {

namespace {

lr::metrics::Counter& anonymised(const std::string& kind) {
    return lr::metrics::process().counter(
        "leadrouter_leadd_retention_rows_total",
        "Rows whose personal data the retention pass removed, by kind (raw_mail, unassignable, "
        "leads, sent_mail)",
        {{"kind", kind}});
}

} // namespace

Retention::Retention(event_base* base, ConfigSource config, const Clock& clock)
    : BatchLoop(base), m_config(std::move(config)), m_clock(clock) {
    for (const char* kind : {"raw_mail", "unassignable", "leads", "sent_mail"})
        anonymised(kind);
}

void Retention::maybe_start() {
    if (running())
        return;
    const auto local = date::make_zoned(date::current_zone(), m_clock.now()).get_local_time();
    const auto day = date::floor<date::days>(local);
    const auto minute = date::floor<std::chrono::minutes>(local - day);
    const date::sys_days today{day.time_since_epoch()};
    if (minute < m_config()->system.privacy.run_at || m_last_day == today)
        return;
    m_last_day = today;
    m_pass_counts.clear();
    kick();
}

void Retention::run_batch() {
    m_run = std::make_shared<store::RetentionRun>(m_config(), m_clock.now());
    connection().run_transaction(m_run, [this](Result<void> done) {
        if (!done) {
            log::error("retention batch failed, rolled back: " + done.error().message);
            m_run.reset();
            batch_failed(done.error());
            return;
        }
        for (const auto& [kind, count] : m_run->counts()) {
            m_pass_counts[kind] += count;
            anonymised(kind).add(static_cast<double>(count));
        }
        const bool full = m_run->full();
        m_run.reset();
        batch_done(full);
    });
}

void Retention::pass_ended() {
    long long total = 0;
    log::Fields fields;
    for (const auto& [kind, count] : m_pass_counts) {
        total += count;
        std::string name;
        for (char c : kind)
            name += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        fields.emplace_back(name, std::to_string(count));
    }
    fields.emplace_back("TOTAL", std::to_string(total));
    // Every pass says what it did, nothing included: the sysadmin (and a
    // test) can tell a pass that found nothing from one that never ran.
    log::info("retention pass done: personal data past its period anonymised", fields);
    m_pass_counts.clear();
}

} // namespace lr::daemon
