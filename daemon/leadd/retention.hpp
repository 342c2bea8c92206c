// leadd's daily privacy pass (issue #17): from system.privacy.run_at
// (the server's local time) on, once a day, personal data past its
// dealer's retention period is anonymised in batches of
// system.privacy.batch_size rows per kind, one short transaction each,
// so the milter's inserts and the daemon's other work never wait long.
// Idempotent: a restart runs it again and finds nothing new.
#pragma once

#include "batch_loop.hpp"
#include "clock.hpp"
#include "core/config.hpp"
#include "store/privacy_store.hpp"

#include <map>
#include <memory>

namespace lr::daemon {

class Retention : public BatchLoop {
public:
    using ConfigSource = std::function<std::shared_ptr<const core::Config>()>;

    Retention(event_base* base, ConfigSource config, const Clock& clock);

    // Starts today's pass when run_at has come and it has not run today.
    void maybe_start();

private:
    void run_batch() override;
    void pass_ended() override;

    ConfigSource m_config;
    const Clock& m_clock;
    std::optional<date::sys_days> m_last_day;
    std::shared_ptr<store::RetentionRun> m_run;
    std::map<std::string, long long> m_pass_counts;
};

} // namespace lr::daemon
