#include "store/assignment_queries.hpp"

#include "store/pg_array.hpp"
#include "store/timestamps.hpp"

#include <map>
#include <tuple>

namespace lr::store {

Statement claim_batch(const std::vector<std::string>& dealer_ids, int limit) {
    return {"SELECT id, dealer_id FROM leads WHERE state = 'new' AND dealer_id = ANY($1::text[]) "
            "ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED",
            {array_literal(dealer_ids), std::to_string(limit)}};
}

std::vector<std::pair<long long, std::string>> read_claimed(const Rows& rows) {
    std::vector<std::pair<long long, std::string>> out;
    for (int i = 0; i < rows.size(); ++i)
        out.emplace_back(rows.integer(i, 0), rows.text(i, 1));
    return out;
}

Statement lock_dealers(const std::vector<std::string>& dealer_ids) {
    // pg_advisory_xact_lock is volatile, so PostgreSQL evaluates it after
    // the sort: the locks are taken in key order by every daemon.
    return {"SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT hashtext('leadrouter-assign:' "
            "|| d)::bigint AS k FROM unnest($1::text[]) AS d) AS keys ORDER BY k",
            {array_literal(dealer_ids)}};
}

namespace {

// Earlier leads of the same dealer whose contact has the same e-mail or
// phone (SPEC §6.1).
constexpr const char* same_contact =
    "e.dealer_id = b.dealer_id AND e.id < b.id AND e.contact_id IN (SELECT k.id FROM contacts k "
    "WHERE k.dealer_id = b.dealer_id AND (k.email = c.email OR k.phone = c.phone))";

} // namespace

Statement lead_facts(const std::vector<long long>& lead_ids) {
    std::string sql =
        "SELECT b.id, b.dealer_id, b.kind, b.source, b.location_id, "
        "coalesce(v.condition, b.vehicle->>'condition'), coalesce(v.make, b.vehicle->>'make'), "
        "h.id, h.assignee, lst.id, lst.assignee, extract(epoch FROM b.received_at)::bigint, "
        "h.state, CASE WHEN h.state = 'responded' THEN (SELECT coalesce(max(x.chain) + 1, 0) "
        "FROM scheduled_events x WHERE x.lead_id = h.id) END "
        "FROM leads b LEFT JOIN contacts c ON c.id = b.contact_id "
        "LEFT JOIN vehicles v ON v.id = b.vehicle_id "
        // A merged lead stands for the lead it was attached to.
        "LEFT JOIN LATERAL (SELECT t.id, t.assignee, t.state FROM leads e JOIN leads t ON t.id = "
        "coalesce(e.merged_into, e.id) WHERE " +
        std::string(same_contact) +
        " AND t.state IN ('new', 'assigned', 'responded') ORDER BY e.id DESC LIMIT 1) h ON true "
        "LEFT JOIN LATERAL (SELECT e.id, e.assignee FROM leads e WHERE " +
        same_contact +
        " AND e.state <> 'merged' ORDER BY e.id DESC LIMIT 1) lst ON true "
        "WHERE b.id = ANY($1::bigint[]) ORDER BY b.id";
    return {sql, {array_literal(lead_ids)}};
}

std::vector<core::PendingLead> read_lead_facts(const Rows& rows) {
    std::vector<core::PendingLead> out;
    out.reserve(static_cast<size_t>(rows.size()));
    for (int i = 0; i < rows.size(); ++i) {
        core::PendingLead lead;
        lead.id = rows.integer(i, 0);
        lead.dealer_id = rows.text(i, 1);
        lead.facts.kind = rows.text(i, 2);
        lead.facts.source = rows.text(i, 3);
        lead.facts.location = rows.optional_text(i, 4);
        lead.facts.condition = rows.optional_text(i, 5);
        lead.facts.make = rows.optional_text(i, 6);
        if (!rows.is_null(i, 7))
            lead.open_lead = rows.integer(i, 7);
        lead.open_lead_assignee = rows.optional_text(i, 8);
        if (!rows.is_null(i, 9))
            lead.last_lead = rows.integer(i, 9);
        lead.last_assignee = rows.optional_text(i, 10);
        lead.received_at = instant_from_epoch(rows.integer(i, 11));
        lead.open_lead_state = rows.optional_text(i, 12);
        if (!rows.is_null(i, 13))
            lead.open_lead_next_chain = static_cast<int>(rows.integer(i, 13));
        out.push_back(std::move(lead));
    }
    return out;
}

Statement rotation_state(const std::vector<std::string>& dealer_ids, const std::string& now_iso) {
    return {
        "SELECT 'cursor', dealer_id, scope, last_user, turns FROM rotation_cursors "
        "WHERE dealer_id = ANY($1::text[]) "
        "UNION ALL SELECT DISTINCT 'absent', dealer_id, user_id, NULL, NULL::bigint FROM absences "
        "WHERE dealer_id = ANY($1::text[]) AND starts_at <= $2 AND ends_at > $2",
        {array_literal(dealer_ids), now_iso}};
}

void read_rotation_state(const Rows& rows, core::BatchState& state, CursorTurns& turns) {
    for (int i = 0; i < rows.size(); ++i) {
        if (rows.text(i, 0) == "cursor") {
            turns[{rows.text(i, 1), rows.text(i, 2)}] = rows.integer(i, 4);
            if (!rows.is_null(i, 3))
                state.cursors[rows.text(i, 1)][rows.text(i, 2)] = rows.text(i, 3);
        } else
            state.absent[rows.text(i, 1)].insert(rows.text(i, 2));
    }
}

Statement write_decisions(const std::vector<core::DecidedLead>& decided,
                          const std::vector<LeadEvent>& events, const std::string& now_iso,
                          const std::string& actor, const CursorTurns& read_turns) {
    std::vector<long long> ids;
    std::vector<std::string> dealers;
    std::vector<std::optional<std::string>> users;
    std::vector<std::string> rules;
    std::vector<std::optional<std::string>> attach_to;
    std::vector<std::string> explanations;
    // Where each touched cursor ends, and how many turns it took.
    std::map<std::pair<std::string, std::string>, std::pair<std::string, long long>> cursors;
    for (const auto& lead : decided) {
        const auto& decision = lead.decision;
        ids.push_back(lead.id);
        dealers.push_back(lead.dealer_id);
        users.push_back(decision.user.empty() ? std::nullopt : std::optional(decision.user));
        rules.push_back(decision.rule);
        attach_to.push_back(decision.attach_to ? std::optional(std::to_string(*decision.attach_to))
                                               : std::nullopt);
        explanations.push_back(core::decision_json(decision));
        if (decision.turn && decision.turn->cursor_after &&
            decision.turn->cursor_after != decision.turn->cursor_before) {
            auto& cursor = cursors[{lead.dealer_id, decision.turn->scope}];
            cursor.first = *decision.turn->cursor_after;
            ++cursor.second;
        }
    }
    std::vector<std::string> cursor_dealers, cursor_scopes, cursor_users;
    std::vector<long long> cursor_turns, cursor_read;
    for (const auto& [key, value] : cursors) {
        cursor_dealers.push_back(key.first);
        cursor_scopes.push_back(key.second);
        cursor_users.push_back(value.first);
        cursor_turns.push_back(value.second);
        auto read = read_turns.find(key);
        cursor_read.push_back(read == read_turns.end() ? 0 : read->second);
    }
    Statement statement{
        "WITH d AS (SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], "
        "$5::bigint[], $6::jsonb[]) AS d(id, dealer_id, user_id, rule, attach_to, explanation)), "
        "assigned AS (UPDATE leads l SET state = 'assigned', assignee = d.user_id, "
        "assigned_rule = d.rule, assigned_at = $7, generation = l.generation + 1 FROM d "
        "WHERE l.id = d.id AND d.attach_to IS NULL AND l.state = 'new' "
        "RETURNING l.id, l.generation), "
        "merged AS (UPDATE leads l SET state = 'merged', merged_into = d.attach_to, "
        "assignee = d.user_id, assigned_rule = d.rule, assigned_at = $7, "
        "generation = l.generation + 1 FROM d "
        "WHERE l.id = d.id AND d.attach_to IS NOT NULL AND l.state = 'new' "
        "RETURNING l.id, l.generation, l.merged_into), "
        "taken AS (SELECT id, generation FROM assigned UNION ALL SELECT id, generation FROM "
        "merged), "
        "moved AS (UPDATE messages m SET lead_id = g.merged_into FROM merged g "
        "WHERE m.lead_id = g.id RETURNING m.id), "
        "audit AS (INSERT INTO assignments (lead_id, dealer_id, user_id, rule, explanation, "
        "assigned_at, actor, generation) SELECT d.id, d.dealer_id, d.user_id, d.rule, "
        "d.explanation, $7, $8, t.generation FROM d JOIN taken t ON t.id = d.id RETURNING id), "
        // The cursors as this batch read them: a move since is a second
        // decision racing this one.
        "stale AS (SELECT count(*) AS n FROM unnest($9::text[], $10::text[], $21::bigint[]) "
        "AS x(dealer_id, scope, turns) LEFT JOIN rotation_cursors r USING (dealer_id, scope) "
        "WHERE coalesce(r.turns, 0) <> x.turns), "
        "cursors AS (INSERT INTO rotation_cursors (dealer_id, scope, last_user, turns) "
        "SELECT * FROM unnest($9::text[], $10::text[], $11::text[], $12::bigint[]) "
        "ON CONFLICT (dealer_id, scope) DO UPDATE SET last_user = EXCLUDED.last_user, "
        "turns = rotation_cursors.turns + EXCLUDED.turns RETURNING 1), "
        "events AS (" +
            insert_events_sql(13, "e.lead_id IN (SELECT id FROM assigned UNION ALL "
                                  "SELECT merged_into FROM merged)") +
            " RETURNING 1), "
            "reopened AS (UPDATE leads SET state = 'assigned' WHERE id = ANY($20::bigint[]) AND "
            "state = 'responded' RETURNING 1) "
            "SELECT (SELECT count(*) FROM assigned), (SELECT count(*) FROM merged), "
            "(SELECT count(*) FROM audit), (SELECT count(*) FROM cursors), "
            "(SELECT count(*) FROM moved), (SELECT count(*) FROM events), "
            "(SELECT CASE WHEN n > 0 THEN leadrouter_refuse('a rotation cursor moved while the "
            "batch was deciding') WHEN (SELECT count(*) FROM taken) <> cardinality($1::bigint[]) "
            "THEN leadrouter_refuse('a decided lead was no longer new') ELSE 0 END FROM stale)",
        {array_literal(ids), array_literal(dealers), array_literal(users), array_literal(rules),
         array_literal(attach_to), array_literal(explanations), now_iso, actor,
         array_literal(cursor_dealers), array_literal(cursor_scopes), array_literal(cursor_users),
         array_literal(cursor_turns)}};
    append_event_params(statement.params, events);
    std::vector<long long> reopened;
    for (const auto& lead : decided)
        if (lead.restart_chain)
            reopened.push_back(*lead.decision.attach_to);
    statement.params.push_back(array_literal(reopened));
    statement.params.push_back(array_literal(cursor_read));
    return statement;
}

} // namespace lr::store
