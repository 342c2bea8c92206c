// Which links a notice carries (issue #15) and where they point. Pure.
//
//   pool notice                      Übernehmen
//   assignment, reminder, level 1,
//   resubmission, customer wrote     Beantwortet, Wiedervorlage
//   level 2 (to the supervisor)      Neu zuweisen, Beantwortet
//   and in LMS mode before Beantwortet: Antworten (a reply to the customer)
//
// Only actions core::offered_actions allows the addressee now; a link is
// signed for one user, one lead, one action and the lead as it is.
#pragma once

#include "core/reply_command.hpp"
#include "web/action_token.hpp"

#include <string>
#include <vector>

namespace lr::web {

struct ActionLink {
    core::LeadAction action;
    std::string label; // German, as the button reads
    std::string url;
};

// replies: the dealer lets users answer customers through the product (LMS
// mode, send_external_mail): "Antworten" comes first where "Beantwortet"
// is offered.
std::vector<core::LeadAction> linked_actions(const std::string& notice_kind, bool pool_lead,
                                             const std::vector<core::LeadAction>& offered,
                                             bool replies = false);

std::string action_label(core::LeadAction action);

// public_url + "/a/" + token (public_url without a trailing slash).
std::string action_url(const std::string& public_url, const std::string& token);

struct LinkRequest {
    std::string public_url;
    std::string notice_kind;
    bool pool_lead = false;
    long long lead_id = 0;
    long long lead_version = 0;
    std::string user_id;
    std::vector<core::LeadAction> offered;
    core::Instant expires;
    bool replies = false;
};

std::vector<ActionLink> action_links(const LinkRequest& request, const KeyRing& ring);

} // namespace lr::web
