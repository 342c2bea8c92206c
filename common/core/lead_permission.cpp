#include "core/lead_permission.hpp"

#include "core/address.hpp"
#include "util/strings.hpp"

namespace lr::core {

namespace {

bool is_open(const LeadStanding& lead) {
    return lead.state != "closed" && lead.state != "merged";
}

bool holds_or_oversees(const Dealer& dealer, const LeadStanding& lead, const User& user) {
    if (user.id == dealer.admin_user)
        return true;
    if (!lead.assignee)
        return false;
    if (*lead.assignee == user.id)
        return true;
    const User* assignee = dealer.find_user(*lead.assignee);
    return assignee && (assignee->substitute == user.id || assignee->supervisor == user.id);
}

bool may_reassign(const Dealer& dealer, const LeadStanding& lead, const User& user) {
    if (user.id == dealer.admin_user)
        return true;
    const User* assignee = lead.assignee ? dealer.find_user(*lead.assignee) : nullptr;
    return assignee && assignee->supervisor == user.id;
}

// A word of the name, lower case ("Jonas Weber" has "jonas" and "weber").
bool name_has(const User& user, const std::string& word) {
    std::string name = util::to_lower_german(user.name);
    size_t start = 0;
    while (start <= name.size()) {
        size_t end = name.find_first_of(" -", start);
        if (end == std::string::npos)
            end = name.size();
        if (name.compare(start, end - start, word) == 0 && end - start == word.size())
            return true;
        start = end + 1;
    }
    return false;
}

} // namespace

bool in_pool(const Dealer& dealer, const LeadStanding& lead) {
    return dealer.pool.enabled && lead.state == "assigned" && lead.assignee == dealer.pool.user;
}

const User* user_by_word(const Dealer& dealer, std::string_view word) {
    const std::string wanted = util::to_lower_german(word);
    if (wanted.empty())
        return nullptr;
    for (const auto& user : dealer.users)
        if (util::to_lower_german(user.id) == wanted)
            return &user;
    const User* by_name = nullptr;
    int named = 0;
    for (const auto& user : dealer.users)
        if (name_has(user, wanted)) {
            by_name = &user;
            ++named;
        }
    if (named == 1)
        return by_name;
    for (const auto& user : dealer.users) {
        const std::string email = canonical_address(user.email);
        if (email.substr(0, email.find('@')) == wanted)
            return &user;
    }
    return nullptr;
}

Permission permit(const Dealer& dealer, const LeadStanding& lead, const std::string& user_id,
                  const ReplyCommand& command) {
    const auto refuse = [](Refusal refusal) { return Permission{refusal, nullptr}; };
    const User* user = dealer.find_user(user_id);
    if (!user)
        return refuse(Refusal::not_a_user);
    if (!is_open(lead))
        return refuse(Refusal::not_open);
    if (!lead.assignee || lead.state == "new")
        return refuse(Refusal::not_assigned);
    switch (command.action) {
    case LeadAction::claim:
        if (!dealer.pool.enabled)
            return refuse(Refusal::no_pool);
        if (!in_pool(dealer, lead))
            return refuse(Refusal::not_in_pool);
        if (!user->assignable)
            return refuse(Refusal::not_assignable);
        if (dealer.pool.oldest_only && lead.pool_head && *lead.pool_head != lead.id)
            return refuse(Refusal::not_oldest);
        return {};
    case LeadAction::reply:
        if (dealer.lead_tracking)
            return refuse(Refusal::tracking_only);
        if (!dealer.send_external_mail)
            return refuse(Refusal::no_external_mail);
        [[fallthrough]];
    case LeadAction::react:
    case LeadAction::resubmit:
    case LeadAction::close:
        if (in_pool(dealer, lead))
            return refuse(Refusal::claim_first);
        if (!holds_or_oversees(dealer, lead, *user))
            return refuse(Refusal::not_yours);
        return {};
    case LeadAction::reassign: {
        if (!may_reassign(dealer, lead, *user))
            return refuse(Refusal::supervisors_only);
        const User* target = user_by_word(dealer, command.target);
        if (!target)
            return refuse(Refusal::unknown_target);
        if (!target->assignable)
            return refuse(Refusal::target_not_assignable);
        return Permission{std::nullopt, target};
    }
    }
    return refuse(Refusal::not_yours);
}

std::vector<LeadAction> offered_actions(const Dealer& dealer, const LeadStanding& lead,
                                        const std::string& user_id) {
    std::vector<LeadAction> out;
    for (auto action : {LeadAction::claim, LeadAction::react, LeadAction::resubmit,
                        LeadAction::reassign, LeadAction::close}) {
        ReplyCommand probe;
        probe.action = action;
        if (action == LeadAction::reassign) {
            // Offered when the user may reassign at all; to whom is asked then.
            const User* user = dealer.find_user(user_id);
            if (user && is_open(lead) && lead.assignee && lead.state != "new" &&
                may_reassign(dealer, lead, *user))
                out.push_back(action);
            continue;
        }
        if (permit(dealer, lead, user_id, probe))
            out.push_back(action);
    }
    return out;
}

const char* refusal_name(Refusal refusal) {
    switch (refusal) {
    case Refusal::not_a_user:
        return "not_a_user";
    case Refusal::not_open:
        return "not_open";
    case Refusal::not_assigned:
        return "not_assigned";
    case Refusal::no_pool:
        return "no_pool";
    case Refusal::not_in_pool:
        return "not_in_pool";
    case Refusal::not_assignable:
        return "not_assignable";
    case Refusal::not_oldest:
        return "not_oldest";
    case Refusal::claim_first:
        return "claim_first";
    case Refusal::not_yours:
        return "not_yours";
    case Refusal::supervisors_only:
        return "supervisors_only";
    case Refusal::unknown_target:
        return "unknown_target";
    case Refusal::target_not_assignable:
        return "target_not_assignable";
    case Refusal::tracking_only:
        return "tracking_only";
    case Refusal::no_external_mail:
        return "no_external_mail";
    }
    return "refused";
}

} // namespace lr::core
