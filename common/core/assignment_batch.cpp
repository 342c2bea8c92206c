#include "core/assignment_batch.hpp"

#include <unordered_map>

namespace lr::core {

std::vector<DecidedLead> decide_batch(const Config& config, const std::vector<PendingLead>& leads,
                                      BatchState& state) {
    std::vector<DecidedLead> decided;
    decided.reserve(leads.size());
    // What this batch decided so far, by lead id: for leads that refer to
    // an earlier lead of the same batch.
    std::unordered_map<long long, const DecidedLead*> by_id;
    by_id.reserve(leads.size());

    for (const auto& lead : leads) {
        const Dealer* dealer = config.find_dealer(lead.dealer_id);
        if (!dealer)
            continue;
        ContactHistory history{lead.open_lead, lead.open_lead_assignee, lead.last_assignee};
        std::optional<std::string> open_state = lead.open_lead_state;
        if (lead.open_lead) {
            if (auto it = by_id.find(*lead.open_lead); it != by_id.end()) {
                const Decision& earlier = it->second->decision;
                // Attach to what the earlier lead became: itself, or the
                // lead it was attached to.
                history.open_lead =
                    earlier.action == Decision::Action::attach ? *earlier.attach_to : it->first;
                history.open_lead_assignee = earlier.user;
                open_state = "assigned"; // decided in this batch: its chain is fresh
            }
        }
        if (lead.last_lead && !history.last_assignee) {
            if (auto it = by_id.find(*lead.last_lead); it != by_id.end())
                history.last_assignee = it->second->decision.user;
        }
        decided.push_back(
            {lead.id, lead.dealer_id,
             decide_assignment(*dealer, lead.facts, history, state.absent[lead.dealer_id],
                               state.cursors[lead.dealer_id]),
             std::nullopt});
        if (decided.back().decision.action == Decision::Action::attach && open_state == "responded")
            decided.back().restart_chain = lead.open_lead_next_chain.value_or(1);
        by_id[lead.id] = &decided.back();
    }
    return decided;
}

} // namespace lr::core
