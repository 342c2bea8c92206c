// leadctl claim / respond / reassign / close: one transaction each; a
// refusal says why (SPEC §6, §7).
#include "command.hpp"
#include "store/lead_actions.hpp"
#include "util/json.hpp"

#include <ostream>

namespace lr::ctl {

namespace {

// leadctl acts as root: for the user it names (claim, respond), or for
// nobody in particular.
store::Actor cli_actor(const std::string& user) {
    return {user, store::Channel::cli};
}

std::optional<long long> lead_option(Context& ctx) {
    auto text = ctx.args.value("lead");
    if (!text)
        return std::nullopt;
    try {
        size_t used = 0;
        long long id = std::stoll(*text, &used);
        if (used == text->size() && id > 0)
            return id;
    } catch (const std::exception&) {
    }
    return -1;
}

// The shared frame: config, --lead, --user, database, the action, output.
int run_action(
    Context& ctx, const std::string& name, bool needs_user,
    const std::function<Result<store::LeadRef>(store::Transaction&, const core::Config&, long long,
                                               const std::string&, core::Instant)>& action,
    const std::string& done_text) {
    if (!ctx.args.positional.empty()) {
        ctx.err << "leadctl " << name << ": unexpected argument \"" << ctx.args.positional.front()
                << "\"\n";
        return exit_usage;
    }
    auto lead = lead_option(ctx);
    auto user = ctx.args.value("user");
    if (!lead || *lead < 0 || (needs_user && !user)) {
        ctx.err << "leadctl " << name << ": --lead ID (a positive number)"
                << (needs_user ? " and --user U are" : " is") << " required\n";
        return exit_usage;
    }
    auto session = ctx.open_session();
    if (!session)
        return exit_failure;
    auto& config = session->config;
    auto& connection = session->connection;
    auto result = store::run_alone(*connection, [&](store::Transaction& tx) {
        return action(tx, *config, *lead, user.value_or(""), ctx.now());
    });
    if (!result) {
        ctx.err << "leadctl " << name << ": " << result.error().message << "\n";
        return exit_failure;
    }
    if (ctx.json())
        ctx.out << json_text(Json{
                       {"lead", result->id},
                       {"state", result->state},
                       {"assignee", result->assignee ? Json(*result->assignee) : Json(nullptr)}})
                << "\n";
    else
        ctx.out << "lead " << result->id << ": " << done_text
                << (result->assignee ? " (assignee " + *result->assignee + ")" : "") << "\n";
    return exit_ok;
}

const util::OptionSpec database_option{"database", true,
                                       "libpq conninfo (default: system.database)", "CONNINFO"};
const util::OptionSpec json_option{"json", false, "print {lead, state, assignee} as JSON"};

} // namespace

Command claim_command() {
    return {"claim",
            "take a lead from the pool (with pool.oldest_only only the oldest)",
            "--user U [--lead ID | --dealer D]",
            {{"user", true, "who claims", "U"},
             {"lead", true, "the pool lead (default: the oldest)", "ID"},
             {"dealer", true, "dealer id, when --lead is not given", "D"},
             database_option,
             json_option},
            [](Context& ctx) {
                auto user = ctx.args.value("user");
                auto lead = lead_option(ctx);
                if (!user || (lead && *lead < 0) || (!lead && !ctx.args.has("dealer")) ||
                    !ctx.args.positional.empty()) {
                    ctx.err << "usage: leadctl claim --user U [--lead ID | --dealer D]\n";
                    return int(exit_usage);
                }
                auto session = ctx.open_session();
                if (!session)
                    return int(exit_failure);
                auto& config = session->config;
                auto& connection = session->connection;
                std::string dealer_id = ctx.args.value("dealer").value_or("");
                if (lead) {
                    auto found = store::find_lead(*connection, *lead);
                    if (!found) {
                        ctx.err << "leadctl claim: " << found.error().message << "\n";
                        return int(exit_failure);
                    }
                    dealer_id = found->dealer_id;
                }
                const core::Dealer* dealer = config->find_dealer(dealer_id);
                if (!dealer) {
                    ctx.err << "leadctl claim: dealer \"" << dealer_id << "\" is not configured\n";
                    return int(exit_failure);
                }
                auto claimed = store::run_alone(*connection, [&](store::Transaction& tx) {
                    return store::claim_pool_lead(tx, *dealer, cli_actor(*user), lead, ctx.now());
                });
                if (!claimed) {
                    ctx.err << "leadctl claim: " << claimed.error().message << "\n";
                    return int(exit_failure);
                }
                if (ctx.json())
                    ctx.out << json_text(Json{{"lead", claimed->id}, {"assignee", *user}}) << "\n";
                else
                    ctx.out << "lead " << claimed->id << ": claimed by " << *user << "\n";
                return int(exit_ok);
            }};
}

Command respond_command() {
    return {"respond",
            "record a reaction to a lead: pending reminders and escalations end",
            "--lead ID --user U",
            {{"lead", true, "the lead", "ID"},
             {"user", true, "who reacted", "U"},
             database_option,
             json_option},
            [](Context& ctx) {
                return run_action(
                    ctx, "respond", true,
                    [](store::Transaction& tx, const core::Config& config, long long lead,
                       const std::string& user, core::Instant now) {
                        return store::record_reaction(tx, config, lead, cli_actor(user), now);
                    },
                    "reaction recorded");
            }};
}

Command reassign_command() {
    return {"reassign",
            "give a lead to another user (the escalation chain restarts)",
            "--lead ID --user U",
            {{"lead", true, "the lead", "ID"},
             {"user", true, "the new assignee", "U"},
             database_option,
             json_option},
            [](Context& ctx) {
                return run_action(
                    ctx, "reassign", true,
                    [](store::Transaction& tx, const core::Config& config, long long lead,
                       const std::string& user, core::Instant now) {
                        return store::reassign_lead(tx, config, lead, user, cli_actor(""), now);
                    },
                    "reassigned");
            }};
}

Command close_command() {
    return {
        "close",
        "close a lead: nothing more is sent about it",
        "--lead ID",
        {{"lead", true, "the lead", "ID"}, database_option, json_option},
        [](Context& ctx) {
            return run_action(
                ctx, "close", false,
                [](store::Transaction& tx, const core::Config&, long long lead, const std::string&,
                   core::Instant now) { return store::close_lead(tx, lead, cli_actor(""), now); },
                "closed");
        }};
}

} // namespace lr::ctl

namespace lr::ctl {

Command resubmit_command() {
    return {
        "resubmit",
        "set a resubmission (Wiedervorlage): its notice and level-2 escalation",
        "--lead ID --at ISO8601",
        {{"lead", true, "the lead", "ID"},
         {"at", true, "when; without an offset the dealer's local time", "ISO8601"},
         database_option,
         json_option},
        [](Context& ctx) {
            auto lead = lead_option(ctx);
            auto when_text = ctx.args.value("at");
            if (!lead || *lead < 0 || !when_text || !ctx.args.positional.empty()) {
                ctx.err << "usage: leadctl resubmit --lead ID --at ISO8601\n";
                return int(exit_usage);
            }
            auto session = ctx.open_session();
            if (!session)
                return int(exit_failure);
            auto& config = session->config;
            auto& connection = session->connection;
            auto found = store::find_lead(*connection, *lead);
            const core::Dealer* dealer = found ? config->find_dealer(found->dealer_id) : nullptr;
            if (!found || !dealer) {
                ctx.err << "leadctl resubmit: "
                        << (found ? "dealer " + found->dealer_id + " is not configured"
                                  : found.error().message)
                        << "\n";
                return int(exit_failure);
            }
            auto when = core::parse_iso8601(*when_text, dealer->timezone);
            if (!when) {
                ctx.err << "leadctl resubmit: \"" << *when_text << "\" is not an ISO 8601 time\n";
                return int(exit_usage);
            }
            auto done = store::run_alone(*connection, [&](store::Transaction& tx) {
                return store::set_resubmission(tx, *config, *lead, *when, cli_actor(""), ctx.now());
            });
            if (!done) {
                ctx.err << "leadctl resubmit: " << done.error().message << "\n";
                return int(exit_failure);
            }
            ctx.out << "lead " << *lead << ": resubmission at "
                    << core::format_iso8601(*when, dealer->timezone) << " for "
                    << done->assignee.value_or("-") << "\n";
            return int(exit_ok);
        }};
}

} // namespace lr::ctl
