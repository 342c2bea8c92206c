#include "core/config_check.hpp"

#include "core/duration.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace lr::core {

namespace {

constexpr const char* weekday_keys[] = {"mon", "tue", "wed", "thu", "fri", "sat"};

class Checker {
public:
    explicit Checker(const Config& config) : m_config(config) {}

    void error(const std::string& key, std::string message) {
        add(Severity::error, key, std::move(message));
    }
    void warning(const std::string& key, std::string message) {
        add(Severity::warning, key, std::move(message));
    }
    std::vector<Diagnostic> take() { return std::move(m_out); }

private:
    void add(Severity severity, const std::string& key, std::string message) {
        m_out.push_back({severity, m_config.sources.find(key), key, std::move(message)});
    }

    const Config& m_config;
    std::vector<Diagnostic> m_out;
};

void check_user_reference(Checker& check, const Dealer& dealer, const std::string& key,
                          const std::optional<std::string>& user_id, const char* role) {
    if (user_id && !user_id->empty() && !dealer.find_user(*user_id))
        check.error(key, "unknown user \"" + *user_id + "\" as " + role);
}

void check_duplicates(Checker& check, const Dealer& dealer) {
    std::set<std::string> seen;
    for (const auto& user : dealer.users)
        if (!seen.insert(user.id).second)
            check.error(dealer_key(dealer) + ".users[" + user.id + "]",
                        "user id \"" + user.id + "\" is used twice");
    seen.clear();
    for (const auto& location : dealer.locations)
        if (!seen.insert(location.id).second)
            check.error(dealer_key(dealer) + ".locations[" + location.id + "]",
                        "location id \"" + location.id + "\" is used twice");
    seen.clear();
    for (const auto& group : dealer.groups)
        if (!seen.insert(group.id).second)
            check.error(dealer_key(dealer) + ".groups[" + group.id + "]",
                        "group id \"" + group.id + "\" is used twice");
}

void check_references(Checker& check, const Dealer& dealer) {
    const std::string key = dealer_key(dealer);
    check_user_reference(check, dealer, key + ".fallback_user", dealer.fallback_user,
                         "fallback user");
    check_user_reference(check, dealer, key + ".admin_user", dealer.admin_user, "admin account");
    if (dealer.pool.enabled || !dealer.pool.user.empty())
        check_user_reference(check, dealer, key + ".pool.user", dealer.pool.user, "pool user");
    for (const auto& user : dealer.users) {
        const std::string user_key = key + ".users[" + user.id + "]";
        check_user_reference(check, dealer, user_key + ".supervisor", user.supervisor,
                             "supervisor");
        check_user_reference(check, dealer, user_key + ".substitute", user.substitute,
                             "substitute");
        if (user.supervisor == user.id)
            check.error(user_key + ".supervisor", "a user cannot be their own supervisor");
        if (user.substitute == user.id)
            check.error(user_key + ".substitute", "a user cannot be their own substitute");
        if (user.location && !dealer.find_location(*user.location))
            check.error(user_key + ".location", "unknown location \"" + *user.location + "\"");
    }
    for (const auto& recipient : dealer.reports.recipients)
        if (recipient.find('@') == std::string::npos)
            check_user_reference(check, dealer, key + ".reports.recipients", recipient,
                                 "report recipient");
    for (const auto& group : dealer.groups) {
        const std::string group_key = key + ".groups[" + group.id + "]";
        for (const auto& member : group.members)
            check_user_reference(check, dealer, group_key + ".members", member, "group member");
        for (const auto& location : group.match.locations)
            if (!dealer.find_location(location))
                check.error(group_key + ".match.location", "unknown location \"" + location + "\"");
    }
}

void check_working_hours(Checker& check, const Dealer& dealer) {
    for (size_t day = 0; day < dealer.working_hours.size(); ++day) {
        auto intervals = dealer.working_hours[day];
        std::sort(intervals.begin(), intervals.end(),
                  [](const WorkInterval& a, const WorkInterval& b) { return a.start < b.start; });
        for (size_t i = 1; i < intervals.size(); ++i)
            if (intervals[i].start < intervals[i - 1].end)
                check.error(dealer_key(dealer) + ".working_hours." + weekday_keys[day],
                            format_work_interval(intervals[i - 1]) + " and " +
                                format_work_interval(intervals[i]) + " overlap");
    }
}

// Users who take part in the rotation (erhält Anfragen). With a pool the pool
// user is one of them, whatever its own flag says.
std::vector<const User*> rotation_members(const Dealer& dealer) {
    std::vector<const User*> members;
    for (const auto& user : dealer.users)
        if (user.receives_leads || (dealer.pool.enabled && user.id == dealer.pool.user))
            members.push_back(&user);
    return members;
}

void check_distribution(Checker& check, const Dealer& dealer) {
    const std::string key = dealer_key(dealer);
    if (dealer.pool.enabled && !dealer.groups.empty())
        check.error(key + ".pool.enabled",
                    "a pool cannot be combined with distribution groups (seed: \"Eine Pool "
                    "Lösung lässt sich nicht mit Verteilungsgruppen kombinieren\")");

    if (dealer.pool.enabled) {
        std::vector<std::string> receivers;
        for (const auto& user : dealer.users)
            if (user.receives_leads && user.id != dealer.pool.user)
                receivers.push_back(user.id);
        if (!receivers.empty()) {
            std::string names;
            for (const auto& id : receivers)
                names += (names.empty() ? "" : ", ") + id;
            check.warning(key + ".pool.enabled",
                          "users with receives_leads (" + names +
                              ") share the rotation with the pool user, so leads alternate "
                              "between the pool and them");
        }
        const User* pool_user = dealer.find_user(dealer.pool.user);
        if (pool_user && !pool_user->supervisor)
            check.warning(key + ".users[" + pool_user->id + "].supervisor",
                          "the pool user has no supervisor, so nobody is told about leads left "
                          "lying in the pool");
    } else {
        auto members = rotation_members(dealer);
        if (members.size() == 1)
            check.warning(key + ".users[" + members.front()->id + "].receives_leads",
                          "solo distribution: only \"" + members.front()->id +
                              "\" receives leads; while absent, every lead goes to the "
                              "fallback or admin account");
        if (members.empty())
            check.warning(key + ".users",
                          "nobody receives leads: every lead not matched by a group goes to "
                          "the fallback user or the admin account");
    }

    for (const auto& group : dealer.groups) {
        const std::string group_key = key + ".groups[" + group.id + "]";
        size_t eligible = 0;
        for (const auto& member : group.members) {
            const User* user = dealer.find_user(member);
            if (!user)
                continue;
            if (user->receives_leads)
                ++eligible;
            else
                check.warning(group_key + ".members",
                              "member \"" + member +
                                  "\" does not have receives_leads and never gets leads from "
                                  "this group");
        }
        if (eligible == 1)
            check.warning(group_key + ".members",
                          "solo distribution: the group has a single member receiving leads");
    }

    for (const auto& user : dealer.users)
        if (user.receives_leads && !user.assignable)
            check.warning(key + ".users[" + user.id + "].assignable",
                          "\"" + user.id + "\" receives leads but is not assignable");

    if (!dealer.fallback_user)
        check.warning(key + ".fallback_user",
                      "no fallback user: leads nobody can take go to the admin account");
}

void check_escalation(Checker& check, const Dealer& dealer) {
    const std::string key = dealer_key(dealer);
    if (!dealer.has_working_time())
        check.warning(key + ".working_hours",
                      "no working hours at all: level 1 would never fire and notices never go "
                      "out");
    const auto& escalation = dealer.escalation;
    if (escalation.reminder.count() > 0 && escalation.reminder >= escalation.level1)
        check.warning(key + ".escalation.reminder",
                      "the reminder (" + format_duration(escalation.reminder) +
                          ") is not shorter than level 1 (" + format_duration(escalation.level1) +
                          "), so it falls before the lead arrives and is skipped");
}

void check_mailboxes(Checker& check, const Config& config) {
    std::map<std::string, std::string> owner; // mailbox → key that declared it first
    for (const auto& dealer : config.dealers)
        for (const auto& location : dealer.locations) {
            if (location.mailbox.empty())
                continue;
            const std::string key = dealer_key(dealer) + ".locations[" + location.id + "].mailbox";
            auto [it, inserted] = owner.emplace(location.mailbox, key);
            if (!inserted)
                check.error(key,
                            "mailbox " + location.mailbox + " is already used by " + it->second);
        }
}

} // namespace

std::vector<Diagnostic> check_config(const Config& config) {
    Checker check(config);
    std::set<std::string> dealer_ids;
    for (const auto& dealer : config.dealers) {
        if (!dealer_ids.insert(dealer.id).second)
            check.error(dealer_key(dealer), "dealer id \"" + dealer.id + "\" is used twice");
        check_duplicates(check, dealer);
        check_references(check, dealer);
        check_working_hours(check, dealer);
        check_distribution(check, dealer);
        check_escalation(check, dealer);
    }
    check_mailboxes(check, config);
    return check.take();
}

} // namespace lr::core
