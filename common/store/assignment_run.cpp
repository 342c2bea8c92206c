#include "store/assignment_run.hpp"

#include "core/calendar.hpp"
#include "core/schedule.hpp"
#include "store/timestamps.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace lr::store {

AssignmentRun::AssignmentRun(std::shared_ptr<const core::Config> config, int limit,
                             core::Instant now, std::string actor)
    : m_config(std::move(config)), m_limit(limit), m_now_instant(now), m_now(timestamp_param(now)),
      m_actor(std::move(actor)) {}

std::optional<Statement> AssignmentRun::next(const Rows* previous) {
    switch (m_step) {
    case Step::claim: {
        m_step = Step::lock;
        return claim_batch(m_config->dealer_ids(), m_limit);
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
            return std::nullopt;
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
        read_rotation_state(*previous, m_state, m_cursor_turns);
        m_decided = core::decide_batch(*m_config, m_pending, m_state);
        for (const auto& lead : m_decided)
            (lead.decision.action == core::Decision::Action::attach ? m_stats.attached
                                                                    : m_stats.assigned)++;
        m_stats.skipped = m_stats.claimed - static_cast<long long>(m_decided.size());
        m_step = Step::done;
        return write_decisions(m_decided, plan_events(), m_now, m_actor, m_cursor_turns);
    }
    case Step::done:
        return std::nullopt;
    }
    return std::nullopt;
}

// The customer wrote again: the open lead's assignee hears of it, and a
// chain that a reaction had ended starts anew from this receipt (SPEC §7).
void AssignmentRun::add_customer_message_events(const core::Dealer& dealer,
                                                const core::DecidedLead& lead,
                                                core::Instant received,
                                                std::vector<LeadEvent>& events) const {
    const auto& decision = lead.decision;
    if (decision.user.empty())
        return; // the open lead is not assigned yet: its own notice follows
    const int chain = lead.restart_chain.value_or(0);
    for (auto& event : core::customer_message_events(dealer, received, m_now_instant, decision.user,
                                                     lead.restart_chain.has_value()))
        events.push_back({*decision.attach_to, std::move(event), chain});
}

std::optional<core::Instant> AssignmentRun::received_at(long long lead_id) const {
    for (const auto& lead : m_pending)
        if (lead.id == lead_id)
            return lead.received_at;
    return std::nullopt;
}

std::vector<LeadEvent> AssignmentRun::plan_events() {
    std::map<long long, core::Instant> received;
    for (const auto& lead : m_pending)
        received[lead.id] = lead.received_at;
    std::vector<LeadEvent> events;
    for (const auto& lead : m_decided) {
        const core::Dealer* dealer = m_config->find_dealer(lead.dealer_id);
        const auto& decision = lead.decision;
        if (decision.action == core::Decision::Action::attach) {
            add_customer_message_events(*dealer, lead, received[lead.id], events);
            continue;
        }
        auto chain =
            core::escalation_chain(*dealer, received[lead.id], m_now_instant, decision.user);
        if (!chain) {
            ++m_stats.unscheduled; // no working time at all: `leadctl check` warns
            continue;
        }
        for (auto& event : *chain)
            events.push_back({lead.id, std::move(event), 0});
    }
    m_stats.events = static_cast<long long>(events.size());
    return events;
}

Result<BatchStats> run_assignment_batch(Connection& connection,
                                        std::shared_ptr<const core::Config> config, int limit,
                                        core::Instant now, const std::string& actor) {
    AssignmentRun run(std::move(config), limit, now, actor);
    if (auto done = run_sequence(connection, run); !done)
        return done.error();
    return run.stats();
}

} // namespace lr::store
