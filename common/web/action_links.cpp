#include "web/action_links.hpp"

#include <algorithm>

namespace lr::web {

std::vector<core::LeadAction> linked_actions(const std::string& notice_kind, bool pool_lead,
                                             const std::vector<core::LeadAction>& offered,
                                             bool replies) {
    using core::LeadAction;
    std::vector<LeadAction> wanted;
    if (pool_lead)
        wanted = {LeadAction::claim};
    else if (notice_kind == "level2" || notice_kind == "level2_resubmission")
        wanted = {LeadAction::reassign, LeadAction::react};
    else
        wanted = {LeadAction::reply, LeadAction::react, LeadAction::resubmit};
    const auto is_offered = [&](LeadAction action) {
        return std::find(offered.begin(), offered.end(), action) != offered.end();
    };
    std::vector<LeadAction> linked;
    for (auto action : wanted)
        if (action == LeadAction::reply ? replies && is_offered(LeadAction::react)
                                        : is_offered(action))
            linked.push_back(action);
    return linked;
}

std::string action_label(core::LeadAction action) {
    switch (action) {
    case core::LeadAction::claim:
        return "Übernehmen";
    case core::LeadAction::react:
        return "Beantwortet";
    case core::LeadAction::resubmit:
        return "Wiedervorlage";
    case core::LeadAction::reassign:
        return "Neu zuweisen";
    case core::LeadAction::close:
        return "Schließen";
    case core::LeadAction::reply:
        return "Antworten";
    }
    return "Beantwortet";
}

std::string action_url(const std::string& public_url, const std::string& token) {
    std::string base = public_url;
    while (!base.empty() && base.back() == '/')
        base.pop_back();
    return base + "/a/" + token;
}

std::vector<ActionLink> action_links(const LinkRequest& request, const KeyRing& ring) {
    std::vector<ActionLink> links;
    if (ring.keys.empty() || request.public_url.empty() || request.user_id.empty())
        return links;
    for (auto action :
         linked_actions(request.notice_kind, request.pool_lead, request.offered, request.replies)) {
        const ActionClaim claim{request.lead_id, request.user_id, action, request.expires,
                                request.lead_version};
        links.push_back({action, action_label(action),
                         action_url(request.public_url, sign_token(claim, ring.keys.front()))});
    }
    return links;
}

} // namespace lr::web
