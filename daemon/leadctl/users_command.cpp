// leadctl users --dealer D: the seed's Benutzer block. Per user: receives
// leads, assignable, groups, supervisor, absent now, open leads; above it a
// one-paragraph summary of how leads are distributed.
#include "command.hpp"
#include "store/user_status.hpp"
#include "util/strings.hpp"
#include "util/table.hpp"
#include "views/json_views.hpp"

#include <ostream>

namespace lr::ctl {

namespace {

std::vector<std::string> groups_of(const core::Dealer& dealer, const std::string& user_id) {
    std::vector<std::string> groups;
    for (const auto& group : dealer.groups)
        if (std::find(group.members.begin(), group.members.end(), user_id) != group.members.end())
            groups.push_back(group.id);
    return groups;
}

std::string distribution_summary(const core::Dealer& dealer) {
    std::vector<std::string> receivers;
    for (const auto& user : dealer.users)
        if (user.receives_leads)
            receivers.push_back(user.id);
    std::string out;
    if (dealer.pool.enabled)
        out += "pool: user " + dealer.pool.user +
               (dealer.pool.oldest_only ? ", oldest lead only" : "") +
               (dealer.pool.notify_members ? ", members notified" : "") + "\n";
    for (const auto& group : dealer.groups)
        out += "group " + group.id + ": " + util::join(group.members, ", ") + "\n";
    out +=
        "rotation: " + (receivers.empty() ? std::string("(nobody)") : util::join(receivers, ", ")) +
        "\n";
    out += "fallback: " + dealer.fallback_user.value_or("(none)") +
           ", admin: " + dealer.admin_user + "\n";
    return out;
}

int run_users(Context& ctx) {
    if (!ctx.args.positional.empty()) {
        ctx.err << "leadctl users: unexpected argument \"" << ctx.args.positional.front() << "\"\n";
        return exit_usage;
    }
    auto session = ctx.open_dealer(true);
    if (!session)
        return exit_failure;
    const core::Dealer* dealer = session->dealer;
    auto& connection = session->connection;
    auto status = store::load_user_status(*connection, dealer->id);
    if (!status) {
        ctx.err << "leadctl users: " << status.error().message << "\n";
        return exit_failure;
    }

    auto yes_no = [](bool value) { return std::string(value ? "yes" : "no"); };
    auto open_leads = [&](const std::string& id) {
        auto it = status->open_leads.find(id);
        return it == status->open_leads.end() ? 0LL : it->second;
    };

    if (ctx.json()) {
        ctx.out << json_text(views::users_json(*dealer, *status)) << "\n";
        return exit_ok;
    }

    std::vector<std::vector<std::string>> rows;
    for (const auto& user : dealer->users) {
        auto groups = groups_of(*dealer, user.id);
        rows.push_back({user.id, user.name, yes_no(user.receives_leads), yes_no(user.assignable),
                        groups.empty() ? "-" : util::join(groups, ","),
                        user.supervisor.value_or("-"), user.substitute.value_or("-"),
                        yes_no(status->absent_now.count(user.id) > 0),
                        std::to_string(open_leads(user.id))});
    }
    ctx.out << dealer->name << " (" << dealer->id << ")\n"
            << distribution_summary(*dealer) << "\n"
            << util::render_table({"USER", "NAME", "RECEIVES", "ASSIGNABLE", "GROUPS", "SUPERVISOR",
                                   "SUBSTITUTE", "ABSENT", "OPEN"},
                                  rows);
    return exit_ok;
}

} // namespace

Command users_command() {
    return {"users",
            "the users overview of a dealer (seed: Benutzer): who gets which leads",
            "--dealer D [--json]",
            {{"dealer", true, "dealer id (Kürzel)", "D"},
             {"database", true, "libpq conninfo (default: system.database)", "CONNINFO"},
             {"json", false, "print one JSON object per user"}},
            run_users};
}

} // namespace lr::ctl
