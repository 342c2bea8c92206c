#include "core/assignment.hpp"

#include "util/json.hpp"
#include "util/strings.hpp"

#include <algorithm>

namespace lr::core {

namespace {

bool fits(const std::vector<std::string>& allowed, const std::optional<std::string>& value,
          bool ignore_case = false) {
    if (allowed.empty())
        return true;
    if (!value)
        return false;
    return std::any_of(allowed.begin(), allowed.end(), [&](const std::string& candidate) {
        return ignore_case ? util::iequals(candidate, *value) : candidate == *value;
    });
}

// Why a user cannot take a lead now; nullopt when they can.
std::optional<SkipReason> unavailable(const User* user, const std::set<std::string>& absent,
                                      bool must_receive) {
    if (!user)
        return SkipReason::unknown_user;
    if (must_receive && !user->receives_leads)
        return SkipReason::not_receiving;
    if (!user->assignable)
        return SkipReason::not_assignable;
    if (absent.count(user->id))
        return SkipReason::absent;
    return std::nullopt;
}

// Strict round-robin over members in their configured order, starting after
// the cursor; the pool user (when given) is eligible whatever its flags.
std::optional<std::string> take_turn(const Dealer& dealer, const std::vector<std::string>& members,
                                     const std::string& scope, const std::set<std::string>& absent,
                                     RotationCursors& cursors, const std::string& pool_user,
                                     RotationTurn& turn) {
    turn.scope = scope;
    if (auto it = cursors.find(scope); it != cursors.end())
        turn.cursor_before = it->second;
    size_t start = 0;
    if (turn.cursor_before) {
        auto it = std::find(members.begin(), members.end(), *turn.cursor_before);
        if (it != members.end())
            start = static_cast<size_t>(it - members.begin()) + 1;
    }
    for (size_t k = 0; k < members.size(); ++k) {
        const std::string& id = members[(start + k) % members.size()];
        const User* user = dealer.find_user(id);
        std::optional<SkipReason> reason;
        if (!pool_user.empty() && id == pool_user)
            reason = absent.count(id) ? std::optional(SkipReason::absent) : std::nullopt;
        else
            reason = unavailable(user, absent, true);
        turn.considered.push_back({id, reason});
        if (!reason) {
            cursors[scope] = id;
            turn.cursor_after = id;
            return id;
        }
    }
    turn.cursor_after = turn.cursor_before;
    return std::nullopt;
}

} // namespace

const char* to_string(SkipReason reason) {
    switch (reason) {
    case SkipReason::absent:
        return "absent";
    case SkipReason::not_receiving:
        return "not receiving leads";
    case SkipReason::not_assignable:
        return "not assignable";
    case SkipReason::unknown_user:
        return "unknown user";
    }
    return "?";
}

const Group* matching_group(const Dealer& dealer, const LeadFacts& lead) {
    for (const auto& group : dealer.groups) {
        const auto& match = group.match;
        if (fits(match.locations, lead.location) && fits(match.conditions, lead.condition) &&
            fits(match.makes, lead.make, true) && fits(match.sources, lead.source) &&
            fits(match.kinds, lead.kind))
            return &group;
    }
    return nullptr;
}

Decision decide_assignment(const Dealer& dealer, const LeadFacts& lead,
                           const ContactHistory& history, const std::set<std::string>& absent,
                           RotationCursors& cursors) {
    Decision decision;

    // 1. Existing contact.
    if (history.open_lead) {
        decision.action = Decision::Action::attach;
        decision.attach_to = history.open_lead;
        decision.user = history.open_lead_assignee.value_or("");
        decision.rule = "attached";
        return decision;
    }
    if (history.last_assignee) {
        if (dealer.distribute_existing_contacts) {
            decision.notes.push_back("known contact (last assignee " + *history.last_assignee +
                                     "): distribute_existing_contacts is on");
        } else if (auto reason =
                       unavailable(dealer.find_user(*history.last_assignee), absent, false)) {
            decision.notes.push_back("known contact: last assignee " + *history.last_assignee +
                                     " is " + to_string(*reason));
        } else {
            decision.user = *history.last_assignee;
            decision.rule = "existing_contact";
            return decision;
        }
    }

    // 2.–4. Pool, group or the general rotation.
    RotationTurn turn;
    std::optional<std::string> picked;
    if (dealer.pool.enabled) {
        std::vector<std::string> members;
        for (const auto& user : dealer.users)
            if (user.receives_leads || user.id == dealer.pool.user)
                members.push_back(user.id);
        picked = take_turn(dealer, members, "general", absent, cursors, dealer.pool.user, turn);
        if (picked)
            decision.rule = *picked == dealer.pool.user ? "pool" : "rotation";
    } else if (const Group* group = matching_group(dealer, lead)) {
        picked = take_turn(dealer, group->members, "group:" + group->id, absent, cursors, {}, turn);
        if (picked)
            decision.rule = "group:" + group->id;
    } else {
        std::vector<std::string> members;
        for (const auto& user : dealer.users)
            members.push_back(user.id);
        picked = take_turn(dealer, members, "general", absent, cursors, {}, turn);
        if (picked)
            decision.rule = "rotation";
    }
    decision.turn = std::move(turn);
    if (picked) {
        decision.user = *picked;
        return decision;
    }

    // 5. Nobody eligible: fallback user, else the admin account.
    decision.notes.push_back("nobody eligible in " + decision.turn->scope);
    if (dealer.fallback_user) {
        if (!absent.count(*dealer.fallback_user)) {
            decision.user = *dealer.fallback_user;
            decision.rule = "fallback";
            return decision;
        }
        decision.notes.push_back("fallback user " + *dealer.fallback_user + " is absent");
    }
    decision.user = dealer.admin_user;
    decision.rule = "admin";
    return decision;
}

std::string decision_json(const Decision& decision) {
    auto optional = [](const std::optional<std::string>& value) {
        return value ? Json(*value) : Json(nullptr);
    };
    Json out{{"action", decision.action == Decision::Action::attach ? "attach" : "assign"},
             {"rule", decision.rule},
             {"user", decision.user}};
    if (decision.attach_to)
        out["attached_to"] = *decision.attach_to;
    out["notes"] = decision.notes;
    if (decision.turn) {
        const auto& turn = *decision.turn;
        out["scope"] = turn.scope;
        out["cursor_before"] = optional(turn.cursor_before);
        out["cursor_after"] = optional(turn.cursor_after);
        Json candidates = Json::array();
        for (const auto& candidate : turn.considered)
            candidates.push_back(
                {{"user", candidate.user},
                 {"skipped",
                  candidate.skipped ? Json(to_string(*candidate.skipped)) : Json(nullptr)}});
        out["candidates"] = std::move(candidates);
    }
    return json_text(out);
}

} // namespace lr::core
