// After a configuration reload that changes a dealer's hours, holidays,
// zone or escalation times, the pending events of that dealer's leads are
// recomputed from their anchors (SPEC §7, issue #6), page by page inside
// one transaction. A reminder that no longer exists (set to 0) is
// cancelled; level-2 events follow a changed supervisor.
#pragma once

#include "core/config.hpp"
#include "store/statement_sequence.hpp"

#include <memory>
#include <string>
#include <vector>

namespace lr::store {

class RecomputeRun : public StatementSequence {
public:
    RecomputeRun(std::shared_ptr<const core::Config> config, std::vector<std::string> dealer_ids);
    std::optional<Statement> next(const Rows* previous) override;
    long long updated() const { return m_updated; }
    long long cancelled() const { return m_cancelled; }

private:
    enum class Step { page, update, done };
    Statement page() const;

    std::shared_ptr<const core::Config> m_config;
    std::vector<std::string> m_dealers;
    Step m_step = Step::page;
    long long m_last_id = 0;
    bool m_last_page = false;
    long long m_updated = 0;
    long long m_cancelled = 0;
};

// The dealers whose schedule settings differ between two configurations
// (present in both).
std::vector<std::string> dealers_with_changed_schedule(const core::Config& before,
                                                       const core::Config& after);

} // namespace lr::store
