#include "store/assignment_run.hpp"

#include <algorithm>
#include <set>

namespace lr::store {

AssignmentRun::AssignmentRun(std::shared_ptr<const core::Config> config, int limit,
                             core::Instant now, std::string actor)
    : m_config(std::move(config)), m_limit(limit),
      m_now(core::format_iso8601(now, date::locate_zone("UTC"))), m_actor(std::move(actor)) {}

std::optional<Statement> AssignmentRun::next(const Rows* previous) {
    switch (m_step) {
    case Step::begin: {
        m_step = Step::claim;
        return Statement{"BEGIN", {}};
    }
    case Step::claim: {
        std::vector<std::string> dealers;
        for (const auto& dealer : m_config->dealers)
            dealers.push_back(dealer.id);
        m_step = Step::lock;
        return claim_batch(dealers, m_limit);
    }
    case Step::lock: {
        std::set<std::string> dealers;
        for (const auto& [id, dealer] : read_claimed(*previous)) {
            m_ids.push_back(id);
            dealers.insert(dealer);
        }
        m_stats.claimed = static_cast<long long>(m_ids.size());
        m_dealers.assign(dealers.begin(), dealers.end());
        if (m_ids.empty()) {
            m_step = Step::done;
            return Statement{"COMMIT", {}};
        }
        m_step = Step::facts;
        return lock_dealers(m_dealers);
    }
    case Step::facts:
        m_step = Step::state;
        return lead_facts(m_ids);
    case Step::state:
        m_pending = read_lead_facts(*previous);
        m_step = Step::write;
        return rotation_state(m_dealers, m_now);
    case Step::write: {
        read_rotation_state(*previous, m_state);
        m_decided = core::decide_batch(*m_config, m_pending, m_state);
        for (const auto& lead : m_decided)
            (lead.decision.action == core::Decision::Action::attach ? m_stats.attached
                                                                    : m_stats.assigned)++;
        m_stats.skipped = m_stats.claimed - static_cast<long long>(m_decided.size());
        m_step = Step::commit;
        return write_decisions(m_decided, m_now, m_actor);
    }
    case Step::commit:
        m_step = Step::done;
        return Statement{"COMMIT", {}};
    case Step::done:
        return std::nullopt;
    }
    return std::nullopt;
}

Result<BatchStats> run_assignment_batch(Connection& connection,
                                        std::shared_ptr<const core::Config> config, int limit,
                                        core::Instant now, const std::string& actor) {
    AssignmentRun run(std::move(config), limit, now, actor);
    std::optional<Rows> last;
    while (auto statement = run.next(last ? &*last : nullptr)) {
        auto rows = connection.exec(*statement);
        if (!rows) {
            (void)connection.exec("ROLLBACK");
            return rows.error();
        }
        last = std::move(rows).value();
    }
    return run.stats();
}

} // namespace lr::store
