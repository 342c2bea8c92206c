#include "store/lead_command.hpp"

#include "store/timestamps.hpp"

namespace lr::store {

Result<LeadRef> carry_out_command(Transaction& transaction, const core::Config& config,
                                  const core::Dealer& dealer, const Actor& actor, long long lead_id,
                                  const core::ReplyCommand& command,
                                  const core::Permission& permission, core::Instant now) {
    switch (command.action) {
    case core::LeadAction::claim:
        return claim_pool_lead(transaction, dealer, actor, lead_id, now);
    case core::LeadAction::react:
        return record_reaction(transaction, config, lead_id, actor, now);
    case core::LeadAction::resubmit:
        if (!command.when)
            return make_error(ErrorCode::invalid_input, "a resubmission needs a time");
        return set_resubmission(transaction, config, lead_id, *command.when, actor, now);
    case core::LeadAction::reassign:
        if (!permission.target)
            return make_error(ErrorCode::invalid_input, "a reassignment needs a user");
        return reassign_lead(transaction, config, lead_id, permission.target->id, actor, now);
    case core::LeadAction::close:
        return close_lead(transaction, lead_id, actor, now);
    case core::LeadAction::reply:
        return make_error(ErrorCode::invalid_input,
                          "a reply needs its text (reply::reply_to_customer)");
    }
    return make_error(ErrorCode::internal, "unknown command");
}

Result<std::optional<LeadFacts>> read_lead_facts(Connection& connection, long long lead_id,
                                                 bool lock) {
    const std::string sql =
        std::string(
            "SELECT l.id, l.dealer_id, l.state, l.assignee, l.version, "
            "extract(epoch FROM l.received_at)::bigint, l.kind, l.source, "
            "trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')), "
            "trim(concat_ws(' ', l.vehicle->>'make', l.vehicle->>'model') || coalesce(' (' || "
            "coalesce(l.vehicle->>'internal_number', l.vehicle->>'listing_id') || ')', '')) "
            "FROM leads l LEFT JOIN contacts c ON c.id = l.contact_id WHERE l.id = $1") +
        (lock ? " FOR UPDATE OF l" : "");
    auto rows = connection.exec_prepared(sql, {std::to_string(lead_id)});
    if (!rows)
        return rows.error();
    if (rows->empty())
        return std::optional<LeadFacts>();
    LeadFacts facts;
    facts.id = rows->integer(0, 0);
    facts.dealer_id = rows->text(0, 1);
    facts.state = rows->text(0, 2);
    facts.assignee = rows->optional_text(0, 3);
    facts.version = rows->integer(0, 4);
    facts.received_at = instant_from_epoch(rows->integer(0, 5));
    facts.kind = rows->text(0, 6);
    facts.source = rows->text(0, 7);
    facts.contact_name = rows->text(0, 8);
    facts.vehicle = rows->text(0, 9);
    return std::optional<LeadFacts>(std::move(facts));
}

Result<core::Permission> permission_for(Connection& connection, const LeadFacts& facts,
                                        const core::Dealer& dealer, const std::string& user_id,
                                        const core::ReplyCommand& command) {
    core::LeadStanding standing{facts.id, facts.state, facts.assignee, std::nullopt};
    if (command.action == core::LeadAction::claim) {
        auto head = pool_head(connection, dealer);
        if (!head)
            return head.error();
        standing.pool_head = *head;
    }
    return core::permit(dealer, standing, user_id, command);
}

} // namespace lr::store
