// What a person does to a lead through leadctl (SPEC §6, §7): claim from
// the pool, react, reassign, close. Each is one transaction that locks the
// lead row first, so two people acting at once get one success and one
// clear refusal. Each ends the lead's pending reminders and escalations
// (a reaction cancels them; a reassignment restarts the chain for the new
// assignee, which the scheduler writes).
#pragma once

#include "core/config.hpp"
#include "core/reply_command.hpp"
#include "core/zoned_time.hpp"
#include "store/pg.hpp"
#include "util/json.hpp"

#include <functional>
#include <optional>
#include <string>

namespace lr::store {

// Through which door a person acted: leadctl, a reply command, a link,
// the integration API (issue #16).
enum class Channel { cli, mail, web, api };
std::string_view channel_name(Channel channel);

// Who acts, for the audit trail (lead_actions). user_id may be empty for
// leadctl, where root acts for nobody in particular.
struct Actor {
    Actor() = default;
    Actor(std::string user, Channel via, std::string integration_name = {})
        : user_id(std::move(user)), channel(via), integration(std::move(integration_name)) {}

    std::string user_id;
    Channel channel = Channel::cli;
    std::string integration; // api: the token's name
};

struct LeadRef {
    long long id = 0;
    std::string dealer_id;
    std::string state;
    std::optional<std::string> assignee;
};

// The lead and its dealer's configuration, or a not_found error.
Result<LeadRef> find_lead(Connection& connection, long long lead_id);

// The oldest lead waiting in the dealer's pool, if any.
Result<std::optional<long long>> pool_head(Connection& connection, const core::Dealer& dealer);

// Each action runs inside the caller's transaction (leadctl begins one per
// action with run_alone; the milter runs a reply command in the one that
// stores the mail asking for it) and writes its lead_actions row there.
// Refusals (not_found, conflict, refused, invalid_input) come before any
// write; a database error leaves the transaction to be rolled back.

// Claims lead_id, or the oldest pool lead when lead_id is empty.
Result<LeadRef> claim_pool_lead(Transaction& transaction, const core::Dealer& dealer,
                                const Actor& actor, std::optional<long long> lead_id,
                                core::Instant now);
Result<LeadRef> record_reaction(Transaction& transaction, const core::Config& config,
                                long long lead_id, const Actor& actor, core::Instant now);
// The lead goes to new_assignee; actor is who decided it.
Result<LeadRef> reassign_lead(Transaction& transaction, const core::Config& config,
                              long long lead_id, const std::string& new_assignee,
                              const Actor& actor, core::Instant now);
// A resubmission (Wiedervorlage) at `when`: its own chain, beside any other.
Result<LeadRef> set_resubmission(Transaction& transaction, const core::Config& config,
                                 long long lead_id, core::Instant when, const Actor& actor,
                                 core::Instant now);
Result<LeadRef> close_lead(Transaction& transaction, long long lead_id, const Actor& actor,
                           core::Instant now);

// The reaction itself, inside the caller's transaction: the lead is
// responded, its pending reminders and escalations end, and the audit
// trail says who and how (audit_action: "reaction", or "reply" for a reply
// sent through the product). Shared by record_reaction, leadctl reply and a
// user's mail on the lead.
Result<void> mark_responded(Connection& connection, long long lead_id, const std::string& dealer_id,
                            const Actor& actor, core::Instant now,
                            std::string_view audit_action = "reaction");

// The audit row of an action (lead_actions.action: claim, reaction,
// resubmission, reassign, close, reply), inside the caller's transaction.
Result<void> record_action(Connection& connection, long long lead_id, const std::string& dealer_id,
                           std::string_view action, const Actor& actor, const Json& detail,
                           core::Instant now);

// One action in a transaction of its own, committed when it succeeds.
Result<LeadRef> run_alone(Connection& connection,
                          const std::function<Result<LeadRef>(Transaction&)>& action);

} // namespace lr::store
