#include "store/lead_actions.hpp"

#include "core/schedule.hpp"
#include "store/event_queries.hpp"
#include "store/timestamps.hpp"
#include "util/strings.hpp"

namespace lr::store {

namespace {

Result<LeadRef> read_lead(Connection& connection, long long lead_id, bool lock) {
    auto rows =
        connection.exec(std::string("SELECT id, dealer_id, state, assignee FROM leads WHERE "
                                    "id = $1") +
                            (lock ? " FOR UPDATE" : ""),
                        {std::to_string(lead_id)});
    if (!rows)
        return rows.error();
    if (rows->empty())
        return make_error(ErrorCode::not_found,
                          "lead " + std::to_string(lead_id) + " does not exist");
    return LeadRef{rows->integer(0, 0), rows->text(0, 1), rows->text(0, 2),
                   rows->optional_text(0, 3)};
}

Result<LeadRef> lock_lead(Connection& connection, long long lead_id) {
    return read_lead(connection, lead_id, true);
}

Result<const core::Dealer*> dealer_of(const core::Config& config, const LeadRef& lead) {
    const core::Dealer* dealer = config.find_dealer(lead.dealer_id);
    if (!dealer)
        return make_error(ErrorCode::not_found, "lead " + std::to_string(lead.id) +
                                                    " belongs to dealer \"" + lead.dealer_id +
                                                    "\", which is not configured");
    return dealer;
}

Result<void> require_user(const core::Dealer& dealer, const std::string& user_id,
                          bool must_be_assignable) {
    const core::User* user = dealer.find_user(user_id);
    if (!user)
        return make_error(ErrorCode::not_found,
                          "dealer " + dealer.id + " has no user \"" + user_id + "\"");
    if (must_be_assignable && !user->assignable)
        return make_error(ErrorCode::refused,
                          "user " + user_id + " is not assignable (assignable: false)");
    return {};
}

// The lead's pending reminders and escalations end with this action.
Result<void> cancel_pending_events(Connection& connection, long long lead_id) {
    auto rows = connection.exec(
        "UPDATE scheduled_events SET state = 'cancelled' WHERE lead_id = $1 AND state = 'pending'",
        {std::to_string(lead_id)});
    if (!rows)
        return rows.error();
    return {};
}

// leadd re-arms its timer for the new events when this commits.
Result<void> wake_scheduler(Connection& connection) {
    auto rows = connection.exec("NOTIFY leadrouter_schedule");
    if (!rows)
        return rows.error();
    return {};
}

// Stores a new chain of the lead under its next chain number.
Result<void> store_chain(Connection& connection, long long lead_id,
                         std::vector<core::PlannedEvent> chain) {
    auto number = next_chain(connection, lead_id);
    if (!number)
        return number.error();
    std::vector<LeadEvent> events;
    for (auto& event : chain)
        events.push_back({lead_id, std::move(event), *number});
    auto rows = connection.exec(insert_events(events));
    if (!rows)
        return rows.error();
    return wake_scheduler(connection);
}

// Reassignment (a claim included) restarts the chain for the new assignee
// at the reassignment time (SPEC §7). A dealer without working time gets
// no chain; `leadctl check` warns about that configuration.
Result<void> restart_chain(Connection& connection, const core::Dealer& dealer, long long lead_id,
                           const std::string& user_id, core::Instant now) {
    auto chain = core::escalation_chain(dealer, now, now, user_id);
    if (!chain)
        return {};
    return store_chain(connection, lead_id, std::move(chain).value());
}

// The assignment trail's actor for a person's act: the program they used.
std::string actor_program(const Actor& actor) {
    switch (actor.channel) {
    case Channel::cli:
        return "leadctl";
    case Channel::mail:
        return "leadmilter";
    case Channel::web:
        return "leadweb";
    case Channel::api:
        return "api:" + actor.integration;
    }
    return "leadctl";
}

Result<void> audit(Connection& connection, const LeadRef& lead, const std::string& user_id,
                   const std::string& rule, const Json& explanation, const Actor& actor,
                   core::Instant now) {
    auto rows = connection.exec(
        // The lead's next generation: a second audit row for the same
        // assignment is refused by assignments_once.
        "WITH g AS (UPDATE leads SET generation = generation + 1 WHERE id = $1 RETURNING "
        "generation) INSERT INTO assignments (lead_id, dealer_id, user_id, rule, explanation, "
        "assigned_at, actor, generation) SELECT $1, $2, $3, $4, $5::jsonb, $6, $7, "
        "g.generation FROM g",
        {std::to_string(lead.id), lead.dealer_id, user_id, rule, json_text(explanation),
         timestamp_param(now), actor_program(actor)});
    if (!rows)
        return rows.error();
    return record_action(connection, lead.id, lead.dealer_id, rule, actor, explanation, now);
}

Error not_open(const LeadRef& lead) {
    return make_error(ErrorCode::conflict,
                      "lead " + std::to_string(lead.id) + " is " + lead.state +
                          (lead.state == "merged" ? " into another lead; act on that one" : ""));
}

} // namespace

std::string_view channel_name(Channel channel) {
    switch (channel) {
    case Channel::cli:
        return "cli";
    case Channel::mail:
        return "mail";
    case Channel::web:
        return "web";
    case Channel::api:
        return "api";
    }
    return "cli";
}

Result<LeadRef> find_lead(Connection& connection, long long lead_id) {
    return read_lead(connection, lead_id, false);
}

Result<std::optional<long long>> pool_head(Connection& connection, const core::Dealer& dealer) {
    if (!dealer.pool.enabled)
        return std::optional<long long>();
    auto rows = connection.exec(
        "SELECT id FROM leads WHERE dealer_id = $1 AND assignee = $2 AND state = 'assigned' "
        "ORDER BY received_at, id LIMIT 1",
        {dealer.id, dealer.pool.user});
    if (!rows)
        return rows.error();
    if (rows->empty())
        return std::optional<long long>();
    return std::optional(rows->integer(0, 0));
}

Result<void> record_action(Connection& connection, long long lead_id, const std::string& dealer_id,
                           std::string_view action, const Actor& actor, const Json& detail,
                           core::Instant now) {
    auto rows = connection.exec(
        "INSERT INTO lead_actions (lead_id, dealer_id, action, user_id, channel, detail, "
        "acted_at, integration) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8)",
        {std::to_string(lead_id), dealer_id, std::string(action),
         actor.user_id.empty() ? Param() : Param(actor.user_id),
         std::string(channel_name(actor.channel)), json_text(detail), timestamp_param(now),
         actor.integration.empty() ? Param() : Param(actor.integration)});
    if (!rows)
        return rows.error();
    return {};
}

Result<LeadRef> run_alone(Connection& connection,
                          const std::function<Result<LeadRef>(Transaction&)>& action) {
    auto tx = Transaction::begin(connection);
    if (!tx)
        return tx.error();
    Result<LeadRef> result = action(*tx);
    if (!result)
        return result;
    if (auto committed = tx->commit(); !committed)
        return committed.error();
    return result;
}

Result<LeadRef> claim_pool_lead(Transaction& transaction, const core::Dealer& dealer,
                                const Actor& actor, std::optional<long long> lead_id,
                                core::Instant now) {
    Connection& connection = transaction.connection();
    const std::string& user_id = actor.user_id;
    if (!dealer.pool.enabled)
        return make_error(ErrorCode::refused,
                          "dealer " + dealer.id + " has no pool (pool.enabled: false)");
    if (auto user = require_user(dealer, user_id, true); !user)
        return user.error();
    auto oldest = pool_head(connection, dealer);
    if (!oldest)
        return oldest.error();
    if (!lead_id && !*oldest)
        return make_error(ErrorCode::not_found, "the pool of " + dealer.id + " is empty");
    long long target = lead_id.value_or(oldest->value_or(0));
    auto lead = lock_lead(connection, target);
    if (!lead)
        return lead;
    if (lead->dealer_id != dealer.id)
        return make_error(ErrorCode::not_found, "lead " + std::to_string(target) +
                                                    " belongs to dealer " + lead->dealer_id);
    if (lead->state != "assigned" || lead->assignee != dealer.pool.user)
        return make_error(ErrorCode::conflict,
                          "lead " + std::to_string(target) + " is not in the pool (" +
                              (lead->state == "assigned"
                                   ? "already with " + lead->assignee.value_or("nobody")
                                   : lead->state) +
                              ")");
    if (dealer.pool.oldest_only && *oldest && **oldest != target)
        return make_error(ErrorCode::refused,
                          "only the oldest pool lead may be claimed (pool.oldest_only): that "
                          "is lead " +
                              std::to_string(**oldest));
    auto updated = connection.exec("UPDATE leads SET assignee = $2, assigned_rule = 'claim', "
                                   "assigned_at = $3 WHERE id = $1",
                                   {std::to_string(target), user_id, timestamp_param(now)});
    if (!updated)
        return updated.error();
    if (auto ok = audit(connection, *lead, user_id, "claim",
                        Json{{"action", "claim"}, {"from", dealer.pool.user}}, actor, now);
        !ok)
        return ok.error();
    if (auto ok = cancel_pending_events(connection, target); !ok)
        return ok.error();
    if (auto ok = restart_chain(connection, dealer, target, user_id, now); !ok)
        return ok.error();
    lead->assignee = user_id;
    return lead;
}

Result<void> mark_responded(Connection& connection, long long lead_id, const std::string& dealer_id,
                            const Actor& actor, core::Instant now, std::string_view audit_action) {
    auto updated = connection.exec("UPDATE leads SET state = 'responded', responded_at = $2, "
                                   "responded_by = $3 WHERE id = $1",
                                   {std::to_string(lead_id), timestamp_param(now), actor.user_id});
    if (!updated)
        return updated.error();
    if (auto audited =
            record_action(connection, lead_id, dealer_id, audit_action, actor, Json::object(), now);
        !audited)
        return audited.error();
    return cancel_pending_events(connection, lead_id);
}

Result<LeadRef> record_reaction(Transaction& transaction, const core::Config& config,
                                long long lead_id, const Actor& actor, core::Instant now) {
    Connection& connection = transaction.connection();
    auto lead = lock_lead(connection, lead_id);
    if (!lead)
        return lead;
    auto dealer = dealer_of(config, *lead);
    if (!dealer)
        return dealer.error();
    if (auto user = require_user(**dealer, actor.user_id, false); !user)
        return user.error();
    if (lead->state != "assigned" && lead->state != "responded")
        return not_open(*lead);
    if (auto ok = mark_responded(connection, lead_id, lead->dealer_id, actor, now); !ok)
        return ok.error();
    lead->state = "responded";
    return lead;
}

Result<LeadRef> reassign_lead(Transaction& transaction, const core::Config& config,
                              long long lead_id, const std::string& new_assignee,
                              const Actor& actor, core::Instant now) {
    Connection& connection = transaction.connection();
    auto lead = lock_lead(connection, lead_id);
    if (!lead)
        return lead;
    auto dealer = dealer_of(config, *lead);
    if (!dealer)
        return dealer.error();
    if (auto user = require_user(**dealer, new_assignee, true); !user)
        return user.error();
    if (lead->state == "closed" || lead->state == "merged")
        return not_open(*lead);
    auto updated = connection.exec("UPDATE leads SET state = 'assigned', assignee = $2, "
                                   "assigned_rule = 'reassign', assigned_at = $3 WHERE id = $1",
                                   {std::to_string(lead_id), new_assignee, timestamp_param(now)});
    if (!updated)
        return updated.error();
    if (auto ok = audit(connection, *lead, new_assignee, "reassign",
                        Json{{"action", "reassign"},
                             {"from", lead->assignee ? Json(*lead->assignee) : Json(nullptr)}},
                        actor, now);
        !ok)
        return ok.error();
    if (auto ok = cancel_pending_events(connection, lead_id); !ok)
        return ok.error();
    if (auto ok = restart_chain(connection, **dealer, lead_id, new_assignee, now); !ok)
        return ok.error();
    lead->state = "assigned";
    lead->assignee = new_assignee;
    return lead;
}

Result<LeadRef> set_resubmission(Transaction& transaction, const core::Config& config,
                                 long long lead_id, core::Instant when, const Actor& actor,
                                 core::Instant now) {
    Connection& connection = transaction.connection();
    auto lead = lock_lead(connection, lead_id);
    if (!lead)
        return lead;
    auto dealer = dealer_of(config, *lead);
    if (!dealer)
        return dealer.error();
    if (lead->state == "closed" || lead->state == "merged" || !lead->assignee)
        return lead->assignee ? not_open(*lead)
                              : make_error(ErrorCode::conflict, "lead " + std::to_string(lead_id) +
                                                                    " is not assigned yet");
    if (when < now - std::chrono::minutes{5})
        return make_error(ErrorCode::invalid_input, "the resubmission time lies in the past");
    auto chain = core::resubmission_chain(**dealer, when, *lead->assignee);
    if (!chain)
        return chain.error();
    if (auto stored = store_chain(connection, lead_id, std::move(chain).value()); !stored)
        return stored.error();
    if (auto audited =
            record_action(connection, lead_id, lead->dealer_id, "resubmission", actor,
                          Json{{"at", core::format_iso8601(when, (*dealer)->timezone)}}, now);
        !audited)
        return audited.error();
    return lead;
}

Result<LeadRef> close_lead(Transaction& transaction, long long lead_id, const Actor& actor,
                           core::Instant now) {
    Connection& connection = transaction.connection();
    auto lead = lock_lead(connection, lead_id);
    if (!lead)
        return lead;
    if (lead->state == "closed" || lead->state == "merged")
        return not_open(*lead);
    auto updated =
        connection.exec("UPDATE leads SET state = 'closed', closed_at = $2 WHERE id = $1",
                        {std::to_string(lead_id), timestamp_param(now)});
    if (!updated)
        return updated.error();
    if (auto audited = record_action(connection, lead_id, lead->dealer_id, "close", actor,
                                     Json::object(), now);
        !audited)
        return audited.error();
    if (auto ok = cancel_pending_events(connection, lead_id); !ok)
        return ok.error();
    lead->state = "closed";
    return lead;
}

} // namespace lr::store
