#include "store/privacy_store.hpp"

#include "store/pg_array.hpp"
#include "store/timestamps.hpp"

#include <algorithm>

namespace lr::store {

namespace {

// The classification record without the person: what the statistics use.
const char* const classification_kept =
    "CASE WHEN classification IS NULL THEN NULL ELSE jsonb_build_object('kind', "
    "classification->'kind', 'reason', classification->'reason', 'source', "
    "classification->'source', 'provider', classification->'provider') END";

// The anonymisation of the leads that lead_selection (a SELECT of id,
// contact_id) picks, with their contacts, messages and outbox mail, plus
// the messages and outbox rows of extra_messages/extra_outbox (bigint[]
// parameters, or '{}'); now_param is the parameter with the time. Answers
// one row: contacts, leads, messages, outbox changed.
std::string anonymisation(const std::string& lead_selection, const std::string& extra_contacts,
                          const std::string& extra_messages, const std::string& extra_outbox,
                          const std::string& now_param) {
    return "WITH tl AS (" + lead_selection +
           "), "
           "c AS (UPDATE contacts SET email = NULL, phone = NULL, salutation = NULL, "
           "first_name = NULL, last_name = NULL, anonymised_at = " +
           now_param + " WHERE (id IN (SELECT contact_id FROM tl) OR id = ANY(" + extra_contacts +
           ")) AND anonymised_at IS NULL AND NOT EXISTS (SELECT 1 FROM leads dl WHERE "
           "dl.contact_id = contacts.id AND dl.deal_at IS NOT NULL) RETURNING 1), "
           "l AS (UPDATE leads SET message = NULL, trade_in = CASE WHEN trade_in IS NULL THEN "
           "NULL ELSE jsonb_build_object('make', trade_in->'make', 'model', trade_in->'model') "
           "END, anonymised_at = " +
           now_param +
           " WHERE id IN (SELECT id FROM tl) RETURNING 1), "
           "m AS (UPDATE messages SET envelope_from = NULL, recipients = '{}', message_id = NULL, "
           "raw = NULL, classification = " +
           classification_kept + ", anonymised_at = " + now_param +
           " WHERE (lead_id IN (SELECT id FROM tl) OR id = ANY(" + extra_messages +
           ")) AND anonymised_at IS NULL RETURNING 1), "
           "o AS (UPDATE outbox SET content = NULL, last_error = NULL, lease_until = NULL, "
           "recipients = CASE WHEN kind = 'reply' THEN '{}' ELSE recipients END, "
           "state = CASE WHEN state = 'queued' THEN 'suppressed' ELSE state END, anonymised_at = " +
           now_param + " WHERE (lead_id IN (SELECT id FROM tl) OR id = ANY(" + extra_outbox +
           ")) AND anonymised_at IS NULL RETURNING 1) "
           "SELECT (SELECT count(*) FROM c), (SELECT count(*) FROM l), (SELECT count(*) FROM m), "
           "(SELECT count(*) FROM o)";
}

std::vector<long long> ids(const Rows& rows, int column = 0) {
    std::vector<long long> out;
    for (int i = 0; i < rows.size(); ++i)
        out.push_back(rows.integer(i, column));
    return out;
}

std::string id_array(const std::vector<long long>& values) {
    std::vector<std::string> texts;
    for (long long value : values)
        texts.push_back(std::to_string(value));
    return array_literal(texts);
}

std::string mask(const std::string& text, size_t keep) {
    if (text.size() <= keep)
        return std::string(text.empty() ? "" : text.substr(0, 1)) + "***";
    return text.substr(0, keep) + "***";
}

// Per-dealer cutoffs of one retention period: the configured dealers'
// ids and cutoffs, the system's cutoff for any other dealer, and the
// latest of them all (an upper bound for the index scan).
struct Cutoffs {
    std::string dealers;
    std::string times;
    std::string fallback;
    std::string latest;
};

Cutoffs cutoffs(const core::Config& config, core::Instant now,
                std::chrono::seconds core::RetentionPeriods::*period) {
    std::vector<std::string> dealers;
    std::vector<std::string> times;
    core::Instant latest = now - config.system.privacy.periods.*period;
    const core::Instant fallback = latest;
    for (const auto& dealer : config.dealers) {
        const core::Instant cutoff = now - config.retention(dealer).*period;
        dealers.push_back(dealer.id);
        times.push_back(timestamp_param(cutoff));
        latest = std::max(latest, cutoff);
    }
    return {array_literal(dealers), array_literal(times), timestamp_param(fallback),
            timestamp_param(latest)};
}

// Rows of one table that are past their dealer's cutoff, oldest first:
// "WITH d AS (...), t AS (SELECT <alias>.id ...)".
std::string past_cutoff(const std::string& table, const std::string& alias,
                        const std::string& time_column, const std::string& condition) {
    return "WITH d AS (SELECT * FROM unnest($1::text[], $2::timestamptz[]) AS d(dealer_id, "
           "cutoff)), t AS (SELECT " +
           alias + ".id FROM " + table + " " + alias + " LEFT JOIN d ON d.dealer_id = " + alias +
           ".dealer_id WHERE " + condition + " AND " + alias + "." + time_column + " < $4 AND " +
           alias + "." + time_column + " < coalesce(d.cutoff, $3) ORDER BY " + alias + "." +
           time_column + " LIMIT $5 FOR UPDATE OF " + alias + " SKIP LOCKED) ";
}

std::vector<Param> cutoff_params(const Cutoffs& c, int batch) {
    return {c.dealers, c.times, c.fallback, c.latest, std::to_string(batch)};
}

// The row (alias) belongs to no lead the dealer marked a concluded deal.
std::string not_deal(const std::string& alias) {
    return "NOT EXISTS (SELECT 1 FROM leads dl WHERE dl.id = " + alias +
           ".lead_id AND dl.deal_at IS NOT NULL)";
}

} // namespace

std::string masked(const Subject& subject) {
    if (subject.email) {
        const auto at = subject.email->find('@');
        const std::string local = subject.email->substr(0, at);
        std::string domain = at == std::string::npos ? "" : subject.email->substr(at + 1);
        const auto dot = domain.rfind('.');
        const std::string tld = dot == std::string::npos ? "" : domain.substr(dot);
        return mask(local, 1) + "@" + mask(domain.substr(0, dot), 1) + tld;
    }
    if (subject.phone) {
        const std::string& phone = *subject.phone;
        return phone.size() > 5 ? phone.substr(0, 3) + "***" + phone.substr(phone.size() - 2)
                                : "***";
    }
    return "***";
}

Result<SubjectRows> find_subject(Connection& connection, const Subject& subject) {
    const Param email = subject.email ? Param(*subject.email) : Param();
    const Param phone = subject.phone ? Param(*subject.phone) : Param();
    auto contacts = connection.exec(
        "SELECT id FROM contacts WHERE dealer_id = $1 AND (($2::text IS NOT NULL AND email = $2) "
        "OR ($3::text IS NOT NULL AND phone = $3)) ORDER BY id",
        {subject.dealer_id, email, phone});
    if (!contacts)
        return contacts.error();
    SubjectRows rows;
    rows.contacts = ids(*contacts);
    const std::string contact_ids = id_array(rows.contacts);
    auto leads = connection.exec("SELECT id, deal_at IS NOT NULL FROM leads WHERE dealer_id = $1 "
                                 "AND contact_id = ANY($2::bigint[]) ORDER BY id",
                                 {subject.dealer_id, contact_ids});
    if (!leads)
        return leads.error();
    for (int i = 0; i < leads->size(); ++i)
        (leads->text(i, 1) == "t" ? rows.deal_leads : rows.leads).push_back(leads->integer(i, 0));
    const std::string lead_ids = id_array(rows.leads);
    const std::string deal_ids = id_array(rows.deal_leads);
    auto messages = connection.exec(
        "SELECT id FROM messages WHERE dealer_id = $1 AND (lead_id = ANY($2::bigint[]) OR "
        "($3::text IS NOT NULL AND (lower(envelope_from) = $3 OR classification->'contact'->>"
        "'email' = $3)) OR ($4::text IS NOT NULL AND classification->'contact'->>'phone' = $4)) "
        "AND (lead_id IS NULL OR NOT lead_id = ANY($5::bigint[])) ORDER BY id",
        {subject.dealer_id, lead_ids, email, phone, deal_ids});
    if (!messages)
        return messages.error();
    rows.messages = ids(*messages);
    auto outbox = connection.exec(
        "SELECT id FROM outbox WHERE dealer_id = $1 AND (lead_id = ANY($2::bigint[]) OR "
        "($3::text IS NOT NULL AND $3 = ANY(recipients))) AND (lead_id IS NULL OR NOT lead_id = "
        "ANY($4::bigint[])) ORDER BY id",
        {subject.dealer_id, lead_ids, email, deal_ids});
    if (!outbox)
        return outbox.error();
    rows.outbox = ids(*outbox);
    return rows;
}

Result<SubjectExport> export_subject(Connection& connection, const Subject& subject,
                                     const std::string& actor, core::Instant now) {
    auto found = find_subject(connection, subject);
    if (!found)
        return found.error();
    std::vector<long long> all_leads = found->leads;
    all_leads.insert(all_leads.end(), found->deal_leads.begin(), found->deal_leads.end());
    std::sort(all_leads.begin(), all_leads.end());
    const std::string leads = id_array(all_leads);
    // The deal leads' messages and mails belong to the person too.
    auto extra = connection.exec(
        "SELECT (SELECT coalesce(array_agg(id ORDER BY id), '{}') FROM messages WHERE lead_id = "
        "ANY($1::bigint[]) OR id = ANY($2::bigint[]))::text, (SELECT coalesce(array_agg(id "
        "ORDER BY id), '{}') FROM outbox WHERE lead_id = ANY($1::bigint[]) OR id = "
        "ANY($3::bigint[]))::text",
        {leads, id_array(found->messages), id_array(found->outbox)});
    if (!extra)
        return extra.error();
    const std::string messages = extra->text(0, 0);
    const std::string outbox = extra->text(0, 1);

    SubjectExport out;
    Json document{{"dealer", subject.dealer_id},
                  {"subject", subject.email ? Json{{"email", *subject.email}}
                                            : Json{{"phone", subject.phone.value_or("")}}},
                  {"exported_at", timestamp_param(now)}};
    // Every column of every row, as stored (raw bytes apart: files).
    const std::vector<std::pair<std::string, std::string>> tables = {
        {"contacts", "SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.id), '[]')::text FROM "
                     "contacts t WHERE t.id = ANY($1::bigint[])"},
        {"leads", "SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.id), '[]')::text FROM leads t "
                  "WHERE t.id = ANY($2::bigint[])"},
        {"messages", "SELECT coalesce(jsonb_agg(to_jsonb(t) - 'raw' || jsonb_build_object("
                     "'raw_file', CASE WHEN t.raw IS NULL THEN NULL ELSE 'messages/' || t.id || "
                     "'.eml' END) ORDER BY t.id), '[]')::text FROM messages t WHERE t.id = "
                     "ANY($3::bigint[])"},
        {"outbox", "SELECT coalesce(jsonb_agg(to_jsonb(t) - 'content' || jsonb_build_object("
                   "'content_file', CASE WHEN t.content IS NULL THEN NULL ELSE 'outbox/' || t.id "
                   "|| '.eml' END) ORDER BY t.id), '[]')::text FROM outbox t WHERE t.id = "
                   "ANY($4::bigint[])"},
        {"assignments", "SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.id), '[]')::text FROM "
                        "assignments t WHERE t.lead_id = ANY($2::bigint[])"},
        {"lead_actions", "SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.id), '[]')::text FROM "
                         "lead_actions t WHERE t.lead_id = ANY($2::bigint[])"},
        {"scheduled_events", "SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.id), '[]')::text "
                             "FROM scheduled_events t WHERE t.lead_id = ANY($2::bigint[])"},
    };
    for (const auto& [name, sql] : tables) {
        // $1..$4 in every statement, used or not: one parameter list.
        auto rows = connection.exec(sql + " AND $1::bigint[] IS NOT NULL AND $2::bigint[] IS NOT "
                                          "NULL AND $3::bigint[] IS NOT NULL AND $4::bigint[] IS "
                                          "NOT NULL",
                                    {id_array(found->contacts), leads, messages, outbox});
        if (!rows)
            return rows.error();
        document[name] = Json::parse(rows->text(0, 0));
    }
    auto raw = connection.exec("SELECT 'messages/' || id || '.eml', raw FROM messages WHERE id = "
                               "ANY($1::bigint[]) AND raw IS NOT NULL UNION ALL SELECT 'outbox/' "
                               "|| id || '.eml', content FROM outbox WHERE id = ANY($2::bigint[]) "
                               "AND content IS NOT NULL",
                               {messages, outbox});
    if (!raw)
        return raw.error();
    for (int i = 0; i < raw->size(); ++i)
        out.files[raw->text(i, 0)] = bytes_from_hex(raw->text(i, 1));
    out.document = std::move(document);
    auto logged = connection.exec(
        "INSERT INTO privacy_log (dealer_id, action, subject, counts, actor, at) VALUES ($1, "
        "'export', $2, $3::jsonb, $4, $5)",
        {subject.dealer_id, masked(subject),
         json_text(Json{{"leads", all_leads.size()}, {"files", out.files.size()}}), actor,
         timestamp_param(now)});
    if (!logged)
        return logged.error();
    return out;
}

Result<Json> erase_subject(Transaction& transaction, const Subject& subject, bool dry_run,
                           const std::string& actor, core::Instant now) {
    Connection& connection = transaction.connection();
    auto found = find_subject(connection, subject);
    if (!found)
        return found.error();
    Json counts{{"contacts", found->contacts.size()},
                {"leads", found->leads.size()},
                {"messages", found->messages.size()},
                {"outbox", found->outbox.size()},
                {"restricted", found->deal_leads.size()}};
    if (dry_run) {
        counts["lead_ids"] = found->leads;
        counts["deal_lead_ids"] = found->deal_leads;
        return counts;
    }
    // The contacts of deal leads stay (restricted with them); others go.
    auto erased = connection.exec(
        anonymisation("SELECT id, contact_id FROM leads WHERE id = ANY($1::bigint[])",
                      "$5::bigint[]", "$2::bigint[]", "$3::bigint[]", "$4::timestamptz"),
        {id_array(found->leads), id_array(found->messages), id_array(found->outbox),
         timestamp_param(now), id_array(found->contacts)});
    if (!erased)
        return erased.error();
    auto restricted =
        connection.exec("UPDATE leads SET restricted_at = coalesce(restricted_at, $2) WHERE id = "
                        "ANY($1::bigint[])",
                        {id_array(found->deal_leads), timestamp_param(now)});
    if (!restricted)
        return restricted.error();
    auto logged = connection.exec(
        "INSERT INTO privacy_log (dealer_id, action, subject, counts, actor, at) VALUES ($1, "
        "'erase', $2, $3::jsonb, $4, $5)",
        {subject.dealer_id, masked(subject), json_text(counts), actor, timestamp_param(now)});
    if (!logged)
        return logged.error();
    return counts;
}

Result<bool> mark_deal(Connection& connection, long long lead_id, core::Instant now) {
    auto rows = connection.exec(
        "UPDATE leads SET deal_at = coalesce(deal_at, $2) WHERE id = $1 RETURNING id",
        {std::to_string(lead_id), timestamp_param(now)});
    if (!rows)
        return rows.error();
    return !rows->empty();
}

RetentionRun::RetentionRun(std::shared_ptr<const core::Config> config, core::Instant now)
    : m_config(std::move(config)), m_now(now) {}

bool RetentionRun::full() const {
    const long long batch = m_config->system.privacy.batch_size;
    for (const char* kind : {"raw_mail", "unassignable", "leads", "sent_mail"})
        if (auto it = m_counts.find(kind); it != m_counts.end() && it->second >= batch)
            return true;
    return false;
}

std::optional<Statement> RetentionRun::next(const Rows* previous) {
    static const char* const kinds[] = {"raw_mail", "unassignable", "leads", "sent_mail"};
    if (previous && m_step > 0 && !previous->empty())
        m_counts[kinds[m_step - 1]] = previous->integer(0, m_step == 3 ? 1 : 0);
    const int batch = m_config->system.privacy.batch_size;
    const std::string now = timestamp_param(m_now);
    using P = core::RetentionPeriods;
    switch (m_step++) {
    case 0: { // the stored mail's bytes; the record stays
        const auto c = cutoffs(*m_config, m_now, &P::raw_mail);
        return Statement{
            past_cutoff("messages", "m", "received_at", "m.raw IS NOT NULL AND " + not_deal("m")) +
                ", u AS (UPDATE messages SET raw = NULL WHERE id IN (SELECT id FROM "
                "t) RETURNING 1) SELECT count(*) FROM u",
            cutoff_params(c, batch)};
    }
    case 1: { // mail that became no lead: its person goes
        const auto c = cutoffs(*m_config, m_now, &P::unassignable);
        auto params = cutoff_params(c, batch);
        params.push_back(now);
        return Statement{past_cutoff("messages", "m", "received_at",
                                     "m.kind = 'unassignable' AND m.anonymised_at IS NULL") +
                             ", u AS (UPDATE messages SET envelope_from = NULL, recipients = "
                             "'{}', message_id = NULL, raw = NULL, classification = " +
                             classification_kept +
                             ", anonymised_at = $6 WHERE id IN (SELECT id FROM t) RETURNING 1) "
                             "SELECT count(*) FROM u",
                         params};
    }
    case 2: { // leads without activity for the period: the person goes
        const auto c = cutoffs(*m_config, m_now, &P::leads);
        auto params = cutoff_params(c, batch);
        params.push_back(now);
        // The last activity: arrival, assignment, a person's action, a
        // customer's mail; only leads received before the cutoff can be
        // past it, so the index bounds the search.
        const std::string selection =
            "SELECT l.id, l.contact_id FROM leads l LEFT JOIN unnest($1::text[], "
            "$2::timestamptz[]) AS d(dealer_id, cutoff) ON d.dealer_id = l.dealer_id WHERE "
            "l.anonymised_at IS NULL AND l.deal_at IS NULL AND l.received_at < $4 AND "
            "greatest(l.received_at, l.assigned_at, (SELECT max(acted_at) FROM lead_actions a "
            "WHERE a.lead_id = l.id), (SELECT max(received_at) FROM messages x WHERE x.lead_id = "
            "l.id)) < coalesce(d.cutoff, $3) ORDER BY l.received_at LIMIT $5 FOR UPDATE OF l "
            "SKIP LOCKED";
        return Statement{anonymisation(selection, "'{}'::bigint[]", "'{}'::bigint[]",
                                       "'{}'::bigint[]", "$6::timestamptz"),
                         params};
    }
    case 3: { // sent mail's bytes; a reply's customer address
        const auto c = cutoffs(*m_config, m_now, &P::sent_mail);
        auto params = cutoff_params(c, batch);
        params.push_back(now);
        return Statement{past_cutoff("outbox", "o", "created_at",
                                     "o.content IS NOT NULL AND o.state <> 'queued' AND (o.lead_id "
                                     "IS NULL OR " +
                                         not_deal("o") + ")") +
                             ", u AS (UPDATE outbox SET content = NULL, last_error = NULL, "
                             "recipients = CASE WHEN kind = 'reply' THEN '{}' ELSE recipients END, "
                             "anonymised_at = $6 WHERE id IN (SELECT id FROM t) RETURNING 1) "
                             "SELECT count(*) FROM u",
                         params};
    }
    }
    return std::nullopt;
}

} // namespace lr::store
