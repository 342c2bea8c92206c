#include "store/firing_run.hpp"

#include "core/message_id.hpp"
#include "core/reply_address.hpp"
#include "store/pg_array.hpp"
#include "store/timestamps.hpp"
#include "util/json.hpp"
#include "util/random_token.hpp"
#include "util/strings.hpp"

#include <set>

namespace lr::store {

namespace {

// The dealer address the notice comes from: the mailbox of the lead's
// location, else the dealer's first mailbox.
std::string sender_of(const core::Dealer& dealer, const std::string& location) {
    const core::Location* found = dealer.find_location(location);
    return found ? found->mailbox : dealer.locations.front().mailbox;
}

} // namespace

FiringRun::FiringRun(std::shared_ptr<const core::Config> config, int limit, core::Instant now,
                     FiringMode mode)
    : m_config(std::move(config)), m_limit(limit), m_now(now), m_mode(mode) {
    for (const auto& dealer : m_config->dealers)
        if (dealer.notice_digest)
            m_digest_dealers.push_back(dealer.id);
    if (m_mode == FiringMode::held_for_digest)
        m_step = m_digest_dealers.empty() ? Step::done : Step::lock_timeout;
}

// Held for the opening: sent later than due, and not level 1 (sent at
// its deadline, never held). $4: the dealers with notices.digest.
static constexpr const char* held_for_digest =
    "(l.dealer_id = ANY($4::text[]) AND e.kind <> 'level1' AND e.send_at > e.due_at)";

Statement FiringRun::claim() const {
    const std::string select =
        "SELECT e.id, e.lead_id, l.dealer_id, e.kind, e.addressee, l.state, "
        "extract(epoch FROM e.due_at)::bigint, coalesce(l.location_id, '') "
        "FROM scheduled_events e JOIN leads l ON l.id = e.lead_id "
        // Events of a dealer that is no longer configured wait for it
        // (issue #13), they are neither fired nor cancelled.
        "WHERE e.state = 'pending' AND e.send_at <= $1 AND l.dealer_id = ANY($3::text[]) ";
    std::vector<Param> params = {timestamp_param(m_now), std::to_string(m_limit),
                                 array_literal(m_config->dealer_ids()),
                                 array_literal(m_digest_dealers)};
    if (m_mode == FiringMode::ordinary)
        return {select + "AND NOT " + held_for_digest +
                    " ORDER BY e.send_at, e.id LIMIT $2 FOR UPDATE OF e SKIP LOCKED",
                std::move(params)};
    // Under the lock: a dealer's held events together, in one batch.
    return {select + "AND " + held_for_digest +
                " ORDER BY l.dealer_id, e.send_at, e.id LIMIT $2 FOR UPDATE OF e",
            std::move(params)};
}

std::optional<Statement> FiringRun::next(const Rows* previous) {
    switch (m_step) {
    case Step::lock_timeout:
        // A daemon that hangs holding the lock must not stop the others:
        // they give up the digest for this batch after a while (and fire
        // every other event as usual, see Scheduler::run_firing).
        m_step = Step::lock;
        return Statement{"SET LOCAL lock_timeout = '5s'", {}};
    case Step::lock:
        m_step = Step::claim;
        return Statement{"SELECT pg_advisory_xact_lock(hashtext('leadrouter.notice_digest'))", {}};
    case Step::claim:
        m_step = Step::absences;
        return claim();
    case Step::absences: {
        std::set<std::string> dealers;
        for (int i = 0; i < previous->size(); ++i) {
            m_events.push_back({previous->integer(i, 0), previous->integer(i, 1),
                                previous->text(i, 2), previous->text(i, 3), previous->text(i, 4),
                                previous->text(i, 5), instant_from_epoch(previous->integer(i, 6))});
            m_locations.push_back(previous->text(i, 7));
            dealers.insert(previous->text(i, 2));
        }
        m_stats.claimed = static_cast<long long>(m_events.size());
        if (m_mode == FiringMode::held_for_digest && full() && dealers.size() > 1) {
            // The last dealer's held events may go on past the limit: they
            // wait for the next batch, so its users' digests stay whole.
            const std::string last = m_events.back().dealer_id;
            while (m_events.back().dealer_id == last) {
                m_events.pop_back();
                m_locations.pop_back();
            }
        }
        if (m_events.empty()) {
            m_step = Step::done;
            return std::nullopt;
        }
        m_step = Step::write;
        return Statement{"SELECT DISTINCT dealer_id, user_id FROM absences WHERE dealer_id = "
                         "ANY($1::text[]) AND starts_at <= $2 AND ends_at > $2",
                         {array_literal(std::vector<std::string>(dealers.begin(), dealers.end())),
                          timestamp_param(m_now)}};
    }
    case Step::write:
        for (int i = 0; i < previous->size(); ++i)
            m_absent[previous->text(i, 0)].insert(previous->text(i, 1));
        m_step = Step::done;
        return write();
    case Step::done:
        return std::nullopt;
    }
    return std::nullopt;
}

Statement FiringRun::write() {
    std::vector<long long> done_ids, cancelled_ids, outbox_leads, outbox_events;
    std::vector<std::string> dealers, kinds, message_ids, senders, recipients, payloads,
        outbox_users;
    std::vector<std::string> key_tokens, key_dealers, key_users;
    std::vector<long long> key_leads;
    // ON CONFLICT DO UPDATE may touch a key once per statement: two events
    // of one lead for one user in one batch renew it once.
    std::set<std::pair<long long, std::string>> keyed;
    auto renew_key = [&](const core::Dealer& dealer, long long lead_id, const std::string& user) {
        if (m_config->reaction_proofs(dealer).reply_address &&
            keyed.insert({lead_id, user}).second) {
            // The user's reply address for this lead; kept when it
            // exists, and its lifetime for commands starts anew.
            key_tokens.push_back(util::random_hex(core::reply_token_bytes));
            key_dealers.push_back(dealer.id);
            key_leads.push_back(lead_id);
            key_users.push_back(user);
        }
    };
    // One mail to one user (issue #15): each names its own reply address
    // and, in leadweb, its own links. lead_id 0: a digest about several.
    auto queue = [&](const core::DueEvent& event, const std::string& kind, long long lead_id,
                     const std::string& sender, const std::string& user, const std::string& email,
                     Json payload) {
        outbox_leads.push_back(lead_id);
        outbox_events.push_back(event.id);
        outbox_users.push_back(user);
        dealers.push_back(event.dealer_id);
        kinds.push_back(kind);
        message_ids.push_back("<" +
                              core::outgoing_message_id(
                                  "event", event.id, util::random_hex(core::outgoing_token_bytes),
                                  core::domain_of(sender)) +
                              ">");
        senders.push_back(sender);
        recipients.push_back(array_literal(std::vector<std::string>{email}));
        payload["users"] = Json::array({user});
        payloads.push_back(json_text(payload));
    };
    auto event_json = [](const core::DueEvent& event) {
        return Json{{"event_id", event.id},
                    {"event", event.kind},
                    {"lead", event.lead_id},
                    {"due", timestamp_param(event.due)}};
    };

    std::vector<core::Firing> firings;
    // Per (dealer, user): the events that reach the user, in send order.
    std::map<std::pair<std::string, std::string>, std::vector<size_t>> per_user;
    for (size_t i = 0; i < m_events.size(); ++i) {
        const auto& event = m_events[i];
        firings.push_back(core::decide_firing(m_config->find_dealer(event.dealer_id), event,
                                              m_absent[event.dealer_id]));
        if (!firings.back().send) {
            cancelled_ids.push_back(event.id);
            continue;
        }
        done_ids.push_back(event.id);
        ++m_stats.fired_by_kind[event.kind];
        for (const auto& user : firings.back().users)
            per_user[{event.dealer_id, user}].push_back(i);
    }
    // Held notices: two or more for one user make one digest.
    auto in_digest = [&](const std::string& dealer_id, const std::string& user) {
        return m_mode == FiringMode::held_for_digest && per_user[{dealer_id, user}].size() > 1;
    };
    for (size_t i = 0; i < m_events.size(); ++i) {
        const auto& event = m_events[i];
        const auto& firing = firings[i];
        if (!firing.send)
            continue;
        const core::Dealer& dealer = *m_config->find_dealer(event.dealer_id);
        for (size_t u = 0; u < firing.users.size(); ++u) {
            if (in_digest(event.dealer_id, firing.users[u]))
                continue;
            renew_key(dealer, event.lead_id, firing.users[u]);
            queue(event, event.kind, event.lead_id, sender_of(dealer, m_locations[i]),
                  firing.users[u], firing.emails[u], event_json(event));
        }
    }
    for (const auto& [dealer_user, indices] : per_user) {
        const auto& [dealer_id, user] = dealer_user;
        if (!in_digest(dealer_id, user))
            continue;
        const core::Dealer& dealer = *m_config->find_dealer(dealer_id);
        Json entries = Json::array();
        for (size_t index : indices) {
            renew_key(dealer, m_events[index].lead_id, user);
            entries.push_back(event_json(m_events[index]));
        }
        const size_t first = indices.front();
        const core::User* person = dealer.find_user(user);
        ++m_stats.digests;
        queue(m_events[first], std::string(digest_kind), 0, sender_of(dealer, m_locations[first]),
              user, person ? person->email : firings[first].emails.front(),
              Json{{"event_id", m_events[first].id}, {"digest", entries}});
    }
    m_stats.sent = static_cast<long long>(done_ids.size());
    m_stats.cancelled = static_cast<long long>(cancelled_ids.size());
    return Statement{
        // One mail per event and user, whatever its random Message-ID: a
        // replayed event queues nothing (outbox_event_once).
        "WITH o AS (INSERT INTO outbox (dealer_id, lead_id, kind, message_id, mail_from, "
        "recipients, payload, not_before, event_id, user_id) SELECT d, nullif(l, 0), k, m, f, "
        "r::text[], "
        "p::jsonb, $9, e, u FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], "
        "$5::text[], $6::text[], $7::text[], $15::bigint[], $16::text[]) AS x(d, l, k, m, f, r, "
        "p, e, u) ON CONFLICT (event_id, user_id) WHERE event_id IS NOT NULL DO NOTHING "
        "RETURNING 1), "
        "fired AS (UPDATE scheduled_events SET state = 'done', done_at = $9 "
        "WHERE id = ANY($8::bigint[]) RETURNING 1), "
        "dropped AS (UPDATE scheduled_events SET state = 'cancelled', done_at = $9 "
        "WHERE id = ANY($10::bigint[]) RETURNING 1), "
        "keys AS (INSERT INTO reply_keys (token, dealer_id, lead_id, user_id, created_at, "
        "renewed_at) SELECT t, d, l, u, $9, $9 FROM unnest($11::text[], $12::text[], "
        "$13::bigint[], $14::text[]) AS k(t, d, l, u) ON CONFLICT (lead_id, user_id) DO UPDATE "
        "SET renewed_at = greatest(reply_keys.renewed_at, excluded.renewed_at) RETURNING 1) "
        "SELECT (SELECT count(*) FROM o), (SELECT count(*) FROM fired), "
        "(SELECT count(*) FROM dropped)",
        {array_literal(dealers), array_literal(outbox_leads), array_literal(kinds),
         array_literal(message_ids), array_literal(senders), array_literal(recipients),
         array_literal(payloads), array_literal(done_ids), timestamp_param(m_now),
         array_literal(cancelled_ids), array_literal(key_tokens), array_literal(key_dealers),
         array_literal(key_leads), array_literal(key_users), array_literal(outbox_events),
         array_literal(outbox_users)}};
}

Result<FiringStats> fire_due_events(Connection& connection,
                                    std::shared_ptr<const core::Config> config, int limit,
                                    core::Instant now) {
    // As leadd does it: the held notices of digest dealers, then the rest.
    FiringRun held(config, limit, now, FiringMode::held_for_digest);
    if (auto done = run_sequence(connection, held); !done)
        return done.error();
    FiringRun run(std::move(config), limit, now);
    if (auto done = run_sequence(connection, run); !done)
        return done.error();
    FiringStats stats = run.stats();
    const FiringStats& first = held.stats();
    stats.claimed += first.claimed;
    stats.sent += first.sent;
    stats.digests += first.digests;
    stats.cancelled += first.cancelled;
    for (const auto& [kind, count] : first.fired_by_kind)
        stats.fired_by_kind[kind] += count;
    return stats;
}

Statement next_send_time(const std::vector<std::string>& dealer_ids) {
    // Walks the pending index in send order and stops at the first event of
    // a configured dealer (a min() over the join would read every pending
    // event, 100,000 after a weekend, at every re-arm).
    return {"SELECT extract(epoch FROM e.send_at)::bigint FROM scheduled_events e "
            "WHERE e.state = 'pending' AND EXISTS (SELECT 1 FROM leads l WHERE l.id = e.lead_id "
            "AND l.dealer_id = ANY($1::text[])) ORDER BY e.send_at, e.id LIMIT 1",
            {array_literal(dealer_ids)}};
}

std::optional<core::Instant> read_next_send_time(const Rows& rows) {
    if (rows.empty() || rows.is_null(0, 0))
        return std::nullopt;
    return instant_from_epoch(rows.integer(0, 0));
}

} // namespace lr::store
