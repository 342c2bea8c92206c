// Fires due events (SPEC §7): a batch of pending events whose send time has
// come is locked (FOR UPDATE SKIP LOCKED: two daemons never fire one), each
// becomes one outbox mail or is cancelled, and the events are marked in the
// same transaction that queues the mails. A crash before the commit leaves
// them pending: they fire once after the restart, oldest first. The outbox
// holds one mail per event (outbox_event_once), so even a replayed event
// can never queue a second mail; its Message-ID has a random part.
#pragma once

#include "core/config.hpp"
#include "core/notification.hpp"
#include "store/statement_sequence.hpp"

#include <map>
#include <memory>

namespace lr::store {

struct FiringStats {
    long long claimed = 0;
    long long sent = 0;                             // queued in the outbox
    long long digests = 0;                          // digest mails among them
    long long cancelled = 0;                        // lead closed or attached elsewhere
    std::map<std::string, long long> fired_by_kind; // event kind → events that queued mail
};

// ordinary: every due event but those a digest takes; held_for_digest:
// the events of dealers with notices.digest whose mail waited for the
// opening (send_at after due_at; never level 1, which is sent at its
// deadline). Such a run takes a transaction-wide advisory lock first, so
// one daemon at a time bundles them and a user's held notices are never
// split between two daemons' batches; a user with several gets one digest
// (kind digest), a user with one an ordinary notice (issue #18).
enum class FiringMode { ordinary, held_for_digest };
inline constexpr std::string_view digest_kind = "digest";

class FiringRun : public StatementSequence {
public:
    FiringRun(std::shared_ptr<const core::Config> config, int limit, core::Instant now,
              FiringMode mode = FiringMode::ordinary);
    std::optional<Statement> next(const Rows* previous) override;
    const FiringStats& stats() const { return m_stats; }
    bool full() const { return m_stats.claimed >= m_limit; }

private:
    enum class Step { lock_timeout, lock, claim, absences, write, done };
    Statement claim() const;
    Statement write();

    std::shared_ptr<const core::Config> m_config;
    int m_limit;
    core::Instant m_now;
    FiringMode m_mode;
    std::vector<std::string> m_digest_dealers;
    Step m_step = Step::claim;
    std::vector<core::DueEvent> m_events;
    std::vector<std::string> m_locations; // the lead's location per event
    std::map<std::string, std::set<std::string>> m_absent;
    FiringStats m_stats;
};

Result<FiringStats> fire_due_events(Connection& connection,
                                    std::shared_ptr<const core::Config> config, int limit,
                                    core::Instant now);

// The earliest pending send time of these dealers' events, if any is pending.
Statement next_send_time(const std::vector<std::string>& dealer_ids);
std::optional<core::Instant> read_next_send_time(const Rows& rows);

} // namespace lr::store
