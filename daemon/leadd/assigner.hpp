// Assigns new leads in batches on the event loop (SPEC §6): one
// AssignmentRun per batch; the pass mechanics are BatchLoop's.
#pragma once

#include "batch_loop.hpp"
#include "clock.hpp"
#include "store/assignment_run.hpp"

#include <functional>
#include <memory>

namespace lr::daemon {

class Assigner : public BatchLoop {
public:
    using ConfigSource = std::function<std::shared_ptr<const core::Config>()>;

    Assigner(event_base* base, ConfigSource config, const Clock& clock, int batch_size,
             std::string actor);

    long long total_assigned() const { return m_total_assigned; }

private:
    void run_batch() override;
    void finish_batch();

    ConfigSource m_config;
    const Clock& m_clock;
    int m_batch_size;
    std::string m_actor;
    std::shared_ptr<store::AssignmentRun> m_run;
    long long m_total_assigned = 0;
};

} // namespace lr::daemon
