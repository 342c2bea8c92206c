#include "lead_seed.hpp"

namespace lr::test {

long long add_lead(const TestDatabase& db, const LeadSeed& seed) {
    std::optional<std::string> contact_id;
    if (seed.email || seed.phone)
        contact_id = db.exec("INSERT INTO contacts (dealer_id, email, phone) VALUES ($1, $2, $3) "
                             "RETURNING id",
                             {seed.dealer, seed.email, seed.phone})
                         .text(0, 0);
    auto rows = db.exec(
        "INSERT INTO leads (dealer_id, location_id, kind, source, contact_id, vehicle, token, "
        "state, assignee, received_at) VALUES ($1, $2, $3, $4, $5, jsonb_build_object('condition', "
        "$6::text, 'make', $7::text), md5(random()::text || clock_timestamp()::text), $8, $9, "
        "now()) RETURNING id",
        {seed.dealer, seed.location, seed.kind, seed.source, contact_id, seed.condition, seed.make,
         seed.state, seed.assignee});
    return rows.integer(0, 0);
}

void add_leads_bulk(const TestDatabase& db, const std::string& dealer, int n) {
    db.exec("WITH c AS (INSERT INTO contacts (dealer_id, email) SELECT $1, 'c' || g || '-' || "
            "md5(random()::text) || '@example.org' FROM generate_series(1, $2::int) g RETURNING "
            "id) INSERT INTO leads (dealer_id, location_id, kind, source, contact_id, token, "
            "received_at) SELECT $1, 'hamburg', 'lead', 'email', id, md5(random()::text || id), "
            "now() FROM c ORDER BY id",
            {dealer, std::to_string(n)});
}

void add_pending_event(const TestDatabase& db, long long lead, const std::string& kind,
                       const std::string& addressee) {
    db.exec("INSERT INTO scheduled_events (lead_id, kind, anchor_at, due_at, send_at, addressee) "
            "VALUES ($1, $2, now(), now() + interval '1 hour', now() + interval '1 hour', $3)",
            {std::to_string(lead), kind, addressee});
}

std::string customer_mail(const std::string& tag) {
    return "X-Test-Fixture: " + tag + "\nFrom: Kunde <kunde." + tag +
           "@example.org>\nTo: mueller@dein.auto\nSubject: Frage " + tag + "\nMessage-ID: <" + tag +
           "@example.org>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n"
           "Guten Tag,\n\nist der rote Golf GTI noch zu haben?\n\nViele Grüße\n" +
           tag + "\n";
}

} // namespace lr::test
