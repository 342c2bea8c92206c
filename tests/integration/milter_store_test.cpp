// What leadmilter stores at the end of a message (SPEC §5), driven without
// the milter protocol: the corpus messages against a real database.
#include "lead_seed.hpp"
#include "milter_harness.hpp"
#include "notifier.hpp"
#include "process.hpp"
#include "store/assignment_run.hpp"
#include "store/firing_run.hpp"
#include "test_database.hpp"

#include <catch2/catch.hpp>
#include <thread>

using namespace lr;
using lr::test::count;
using lr::test::fixture;
using Harness = lr::test::MilterHarness;

TEST_CASE("a marketplace lead is stored with contact, message and queue id before the answer, "
          "and forwarded",
          "[milter][store]") {
    Harness h;
    const std::string raw = fixture("mobile-de-lead");
    auto state =
        h.message(raw, "noreply@mobile.de", {"<Mueller@Dein.Auto>", "<other@example.org>"});
    auto outcome = h.store(state);
    REQUIRE(outcome.dealers.size() == 1);
    const auto& dealer = outcome.dealers.front();
    CHECK(dealer.kind == "lead");
    REQUIRE(dealer.lead_id);
    CHECK(outcome.lead_class() == "lead");
    CHECK(dealer.envelope.remove == std::vector<std::string>{"<Mueller@Dein.Auto>"});
    CHECK(dealer.envelope.add == std::vector<std::string>{"verkauf@autohaus-mueller.example"});

    auto lead = h.db.exec("SELECT l.kind, l.source, l.location_id, c.email, c.phone, c.last_name, "
                          "l.vehicle->>'listing_id', l.state, l.message FROM leads l JOIN "
                          "contacts c ON c.id = l.contact_id WHERE l.id = $1",
                          {std::to_string(*dealer.lead_id)});
    CHECK(lead.text(0, 0) == "lead");
    CHECK(lead.text(0, 1) == "mobile.de");
    CHECK(lead.text(0, 2) == "hamburg");
    CHECK(lead.text(0, 3) == "jana.krueger@example.org");
    CHECK(lead.text(0, 4) == "+4917612345678");
    CHECK(lead.text(0, 5) == "Krüger");
    CHECK(lead.text(0, 6) == "412345678");
    CHECK(lead.text(0, 7) == "new");
    auto message = h.db.exec("SELECT kind, queue_id, message_id, envelope_from, recipients::text, "
                             "convert_from(raw, 'SQL_ASCII') = $2, classification->>'source' "
                             "FROM messages WHERE lead_id = $1",
                             {std::to_string(*dealer.lead_id), raw});
    REQUIRE(message.size() == 1);
    CHECK(message.text(0, 0) == "lead");
    CHECK(message.text(0, 1) == state.queue_id);
    CHECK(message.text(0, 2) == "<m1@mobile.de>");
    CHECK(message.text(0, 3) == "noreply@mobile.de");
    CHECK(message.text(0, 4) == "{<Mueller@Dein.Auto>,<other@example.org>}");
    CHECK(message.boolean(0, 5));
    CHECK(message.text(0, 6) == "mobile.de");
}

TEST_CASE("a stored lead asks to wake leadd on leadrouter_new_lead, the notifier sends it after "
          "the commit, once for a burst, and before it stops",
          "[milter][store][notify]") {
    Harness h;
    auto listener = h.db.connect();
    REQUIRE(listener.exec("LISTEN leadrouter_new_lead"));
    auto drain = [&] {
        int notified = 0;
        PQconsumeInput(listener.raw());
        while (PGnotify* notify = PQnotifies(listener.raw())) {
            notified += std::string(notify->relname) == "leadrouter_new_lead";
            PQfreemem(notify);
        }
        return notified;
    };
    auto form = h.store(h.message(fixture("website-form"), "website@autohaus-mueller.example",
                                  {"<mueller@dein.auto>"}));
    auto marketplace =
        h.store(h.message(fixture("mobile-de-lead"), "noreply@mobile.de", {"<mueller@dein.auto>"}));
    CHECK(form.wakes() == std::set<std::string>{"leadrouter_new_lead"});
    CHECK(marketplace.wakes() == std::set<std::string>{"leadrouter_new_lead"});
    // The transaction itself notifies nothing (it would hold PostgreSQL's
    // notify lock through its commit): a NOTIFY comes only from the notifier.
    // One committed with the lead would reach the listener within
    // milliseconds of its next round trip.
    REQUIRE(listener.exec("SELECT 1"));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    CHECK(drain() == 0);

    int notified = 0;
    {
        milter::Notifier notifier(h.pool);
        for (int i = 0; i < 200; ++i)
            notifier.wake("leadrouter_new_lead");
        REQUIRE(test::eventually(
            [&] {
                notified += drain();
                return notified >= 1;
            },
            std::chrono::seconds(10)));
        notifier.wake("leadrouter_new_lead");
    } // stopping sends what is pending
    REQUIRE(test::eventually(
        [&] {
            notified += drain();
            return notified >= 2;
        },
        std::chrono::seconds(10)));
    CHECK(notified < 201); // wakes coming in while one is sent go out as one

    // A retry of a stored message wakes nobody.
    auto retried =
        h.store(h.message(fixture("mobile-de-lead"), "noreply@mobile.de", {"<mueller@dein.auto>"}));
    CHECK(retried.dealers.front().duplicate);
    CHECK(retried.wakes().empty());
}

TEST_CASE("the notifier survives a database that went away: the wake is lost, the next is sent",
          "[milter][store][notify]") {
    Harness h;
    auto listener = h.db.connect();
    REQUIRE(listener.exec("LISTEN leadrouter_outbox"));
    store::ConnectionPool broken("host=/nonexistent dbname=none connect_timeout=1", 2);
    {
        milter::Notifier notifier(broken);
        notifier.wake("leadrouter_outbox"); // logged, not sent, no crash
    }
    milter::Notifier notifier(h.pool);
    // Every connection of this test's database but this one and the listener.
    h.db.exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = "
              "current_database() AND pid <> pg_backend_pid() AND query NOT LIKE 'LISTEN%'");
    int notified = 0;
    REQUIRE(test::eventually(
        [&] {
            notifier.wake("leadrouter_outbox"); // the first may meet a dead pooled connection
            PQconsumeInput(listener.raw());
            while (PGnotify* notify = PQnotifies(listener.raw())) {
                ++notified;
                PQfreemem(notify);
            }
            return notified >= 1;
        },
        std::chrono::seconds(10)));
}

TEST_CASE("use_vehicle_location_rules: a lead about a vehicle of another location follows that "
          "location's forwarding, the inventory completes the vehicle",
          "[milter][store]") {
    for (bool rules : {true, false}) {
        Harness h({{"use_vehicle_location_rules: false",
                    std::string("use_vehicle_location_rules: ") + (rules ? "true" : "false")}});
        h.db.exec("INSERT INTO vehicles (dealer_id, internal_number, location_id, condition, make, "
                  "model) VALUES ('mueller', 'HH-2231', 'kiel', 'used', 'Volkswagen', 'Golf')");
        auto outcome = h.store(
            h.message(fixture("mobile-de-lead"), "noreply@mobile.de", {"<mueller@dein.auto>"}));
        const auto& dealer = outcome.dealers.front();
        INFO("use_vehicle_location_rules " << rules);
        CHECK(dealer.envelope.add ==
              std::vector<std::string>{rules ? "kiel@autohaus-mueller.example"
                                             : "verkauf@autohaus-mueller.example"});
        auto lead = h.db.exec("SELECT location_id, vehicle->>'condition', vehicle_id IS NOT NULL "
                              "FROM leads WHERE id = $1",
                              {std::to_string(*dealer.lead_id)});
        CHECK(lead.text(0, 0) == (rules ? "kiel" : "hamburg"));
        CHECK(lead.text(0, 1) == "used");
        CHECK(lead.boolean(0, 2));
    }
}

TEST_CASE("unassignable mail is stored, announced to unassigned_notify at once, never assigned, "
          "spam is not announced",
          "[milter][store]") {
    Harness h;
    auto outcome = h.store(
        h.message(fixture("bulk-list-id"), "forum@autoclub.example", {"<mueller-kiel@dein.auto>"}));
    CHECK(outcome.lead_class() == "unassignable; reason=bulk");
    CHECK_FALSE(outcome.dealers.front().lead_id);
    CHECK(outcome.dealers.front().envelope.add ==
          std::vector<std::string>{"kiel@autohaus-mueller.example"});
    CHECK(count(h.db, "SELECT count(*) FROM leads") == 0);
    auto row = h.db.exec("SELECT kind, reason FROM messages");
    CHECK(row.text(0, 0) == "unassignable");
    CHECK(row.text(0, 1) == "bulk");
    auto notice = h.db.exec("SELECT recipients::text, mail_from, convert_from(content, 'UTF8'), "
                            "not_before <= now() FROM outbox WHERE kind = 'unassignable'");
    REQUIRE(notice.size() == 1);
    CHECK(notice.text(0, 0) == "{zentrale@autohaus-mueller.example}");
    CHECK(notice.text(0, 1) == "mueller-kiel@dein.auto");
    CHECK(notice.text(0, 2).find("Massen- oder Listen-E-Mail") != std::string::npos);
    CHECK(notice.boolean(0, 3));
    CHECK(outcome.wakes() == std::set<std::string>{"leadrouter_outbox"});

    auto spam =
        h.store(h.message(fixture("spam-flag"), "winner@lotto.example", {"<mueller@dein.auto>"}));
    CHECK(spam.wakes().empty());
    CHECK(count(h.db, "SELECT count(*) FROM messages WHERE reason = 'spam'") == 1);
    CHECK(count(h.db, "SELECT count(*) FROM outbox") == 1);
}

TEST_CASE("a trade-in request without a dealer vehicle queues the CC for trade_in_cc",
          "[milter][store][tradein]") {
    Harness h;
    auto outcome = h.store(h.message(fixture("website-tradein"), "noreply@autohaus-mueller.example",
                                     {"<mueller@dein.auto>"}));
    CHECK(outcome.lead_class() == "tradein");
    auto cc = h.db.exec("SELECT recipients::text, lead_id, payload->>'message' FROM outbox WHERE "
                        "kind = 'tradein_cc'");
    REQUIRE(cc.size() == 1);
    CHECK(cc.text(0, 0) == "{ankauf@autohaus-mueller.example}");
    CHECK(cc.integer(0, 1) == *outcome.dealers.front().lead_id);
    CHECK(count(h.db, "SELECT count(*) FROM messages WHERE id = $1", {cc.text(0, 2)}) == 1);
    CHECK(outcome.wakes() == std::set<std::string>{"leadrouter_new_lead", "leadrouter_outbox"});

    // With a dealer vehicle referenced: a lead with trade-in data, no CC.
    h.store(h.message(fixture("autoscout24-tradein-with-listing"), "noreply@autoscout24.de",
                      {"<mueller@dein.auto>"}));
    CHECK(count(h.db, "SELECT count(*) FROM outbox WHERE kind = 'tradein_cc'") == 1);
    CHECK(count(h.db, "SELECT count(*) FROM leads WHERE kind = 'lead' AND trade_in IS NOT NULL "
                      "AND trade_in <> 'null'::jsonb") == 1);
}

TEST_CASE("a customer's answer to the tracking address or referencing a sent mail is a reply: "
          "attached, the assignee notified, an ended chain restarted",
          "[milter][store][reply]") {
    Harness h;
    auto lead = test::add_lead(
        h.db, {.email = "jana.krueger@example.org", .state = "responded", .assignee = "schmidt"});
    h.db.exec("UPDATE leads SET token = 'abc123' WHERE id = $1", {std::to_string(lead)});
    h.db.exec("INSERT INTO outbox (dealer_id, lead_id, kind, message_id, mail_from, recipients) "
              "VALUES ('mueller', $1, 'reply', '<leadrouter.reply.9@dein.auto>', "
              "'mueller@dein.auto', '{jana.krueger@example.org}')",
              {std::to_string(lead)});

    const std::string answer = "From: Jana <jana.krueger@example.org>\r\nTo: "
                               "mueller+ABC123@dein.auto\r\nSubject: Re: Golf\r\nMessage-ID: "
                               "<r1@example.org>\r\n\r\nPasst am Samstag.\r\n";
    auto outcome =
        h.store(h.message(answer, "jana.krueger@example.org", {"<mueller+abc123@dein.auto>"}));
    CHECK(outcome.lead_class() == "reply");
    CHECK(outcome.dealers.front().lead_id == lead);
    CHECK(outcome.wakes() == std::set<std::string>{"leadrouter_schedule"});
    CHECK(count(h.db, "SELECT count(*) FROM leads") == 1);
    CHECK(h.db.exec("SELECT state FROM leads").text(0, 0) == "assigned"); // reopened
    auto events = h.db.exec("SELECT kind, addressee, chain FROM scheduled_events WHERE lead_id = "
                            "$1 ORDER BY due_at, kind",
                            {std::to_string(lead)});
    REQUIRE(events.size() >= 3);
    CHECK(events.text(0, 0) == "customer_message");
    CHECK(events.text(0, 1) == "schmidt");
    CHECK(count(h.db, "SELECT count(*) FROM scheduled_events WHERE kind = 'level1'") == 1);

    const std::string threaded = "From: Jana <jana.krueger@example.org>\r\nTo: "
                                 "mueller@dein.auto\r\nSubject: Re: Ihr Angebot\r\nIn-Reply-To: "
                                 "<leadrouter.reply.9@dein.auto>\r\nMessage-ID: "
                                 "<r2@example.org>\r\n\r\nNoch eine Frage.\r\n";
    outcome = h.store(h.message(threaded, "jana.krueger@example.org", {"<mueller@dein.auto>"}));
    CHECK(outcome.lead_class() == "reply");
    CHECK(count(h.db, "SELECT count(*) FROM messages WHERE kind = 'reply' AND lead_id = $1",
                {std::to_string(lead)}) == 2);
}

TEST_CASE("a mail naming a guessed Message-ID of ours is not attached to the lead, the real one "
          "is",
          "[milter][store][reply][attack]") {
    Harness h;
    auto lead = test::add_lead(h.db, {.email = "jana.krueger@example.org", .state = "new"});
    auto connection = h.db.connect();
    REQUIRE(store::run_assignment_batch(connection, h.runtime->config, 10, h.now, "test"));
    REQUIRE(store::fire_due_events(connection, h.runtime->config, 10,
                                   h.now + std::chrono::hours(24 * 14)));
    auto sent = h.db.exec("SELECT message_id, event_id FROM outbox WHERE kind = 'level1'");
    REQUIRE(sent.size() == 1);
    // What a stranger can work out from another notice: the number.
    const std::string guessed = "<leadrouter.event." + sent.text(0, 1) + "@dein.auto>";
    auto mail = [](const std::string& from, const std::string& reference, const std::string& id) {
        return "From: " + from +
               "\r\nTo: mueller@dein.auto\r\nSubject: Re: Ihre Anfrage\r\n"
               "In-Reply-To: " +
               reference + "\r\nReferences: " + reference + "\r\nMessage-ID: <" + id +
               "@example.net>\r\n\r\nBitte rufen Sie mich an: "
               "0171 5550123\r\n";
    };
    auto stranger = h.store(h.message(mail("Mallory <mallory@example.net>", guessed, "g1"),
                                      "mallory@example.net", {"<mueller@dein.auto>"}));
    CHECK(stranger.lead_class() != "reply");
    CHECK(count(h.db, "SELECT count(*) FROM messages WHERE lead_id = $1 AND kind = 'reply'",
                {std::to_string(lead)}) == 0);

    auto customer =
        h.store(h.message(mail("Jana <jana.krueger@example.org>", sent.text(0, 0), "c1"),
                          "jana.krueger@example.org", {"<mueller@dein.auto>"}));
    CHECK(customer.lead_class() == "reply");
    CHECK(count(h.db, "SELECT count(*) FROM messages WHERE lead_id = $1 AND kind = 'reply'",
                {std::to_string(lead)}) == 1);
}

TEST_CASE("a salesperson's mail to the customer of an open lead, submitted with SASL as them, is "
          "the reaction",
          "[milter][store]") {
    Harness h;
    auto lead = test::add_lead(
        h.db, {.email = "tom.becker@example.net", .state = "assigned", .assignee = "schmidt"});
    test::add_pending_event(h.db, lead, "level1", "schmidt");
    const std::string mail = "From: Anna Schmidt <A.Schmidt@autohaus-mueller.example>\r\nTo: "
                             "tom.becker@example.net\r\nCc: mueller@dein.auto\r\nSubject: Ihr "
                             "Golf\r\nMessage-ID: <s1@autohaus-mueller.example>\r\n\r\nGerne!\r\n";
    auto outcome = h.store(h.message(mail, "a.schmidt@autohaus-mueller.example",
                                     {"<tom.becker@example.net>", "<mueller@dein.auto>"},
                                     "a.schmidt@autohaus-mueller.example"));
    CHECK(outcome.lead_class() == "reaction");
    auto row =
        h.db.exec("SELECT state, responded_by FROM leads WHERE id = $1", {std::to_string(lead)});
    CHECK(row.text(0, 0) == "responded");
    CHECK(row.text(0, 1) == "schmidt");
    CHECK(count(h.db, "SELECT count(*) FROM scheduled_events WHERE state = 'pending'") == 0);
}

TEST_CASE("a retried message (same Message-ID) is stored once and forwarded alike",
          "[milter][store]") {
    Harness h;
    auto first = h.store(
        h.message(fixture("person-plain"), "jana.krueger@example.org", {"<mueller@dein.auto>"}));
    auto second = h.store(
        h.message(fixture("person-plain"), "jana.krueger@example.org", {"<mueller@dein.auto>"}));
    CHECK(second.dealers.front().duplicate);
    CHECK(second.dealers.front().lead_id == first.dealers.front().lead_id);
    CHECK(second.dealers.front().envelope.add == first.dealers.front().envelope.add);
    CHECK(count(h.db, "SELECT count(*) FROM leads") == 1);
    CHECK(count(h.db, "SELECT count(*) FROM messages") == 1);
}

TEST_CASE("the database unreachable: an error and nothing stored", "[milter][store]") {
    Harness h;
    store::ConnectionPool broken("host=/nonexistent-socket-dir dbname=x connect_timeout=2", 1);
    auto state =
        h.message(fixture("person-plain"), "jana.krueger@example.org", {"<mueller@dein.auto>"});
    milter::LeadCommitter committer(broken);
    auto outcome = milter::store_message(state, broken, committer, h.now);
    REQUIRE_FALSE(outcome);
    CHECK(outcome.error().code == ErrorCode::database);
    auto untracked = milter::untracked_outcome(state);
    CHECK(untracked.lead_class() == "lead");
    CHECK(untracked.dealers.front().envelope.add ==
          std::vector<std::string>{"verkauf@autohaus-mueller.example"});
    CHECK(count(h.db, "SELECT count(*) FROM messages") == 0);
}

TEST_CASE("recipients: mailboxes case-insensitively with +tag, others not ours",
          "[milter][store]") {
    Harness h;
    auto state = h.message("From: a@b.example\r\n\r\nx\r\n", "a@b.example",
                           {"<MUELLER+x@dein.auto>", "<mueller-kiel@DEIN.AUTO>",
                            "<mueller@dein.auto.example>", "<verkauf@autohaus-mueller.example>"});
    REQUIRE(state.ours.size() == 1);
    CHECK(state.ours.front().recipients.size() == 2);
    CHECK(state.ours.front().tags == std::vector<std::string>{"x"});
    auto none = h.message("x", "a@b.example", {"<someone@example.org>"});
    CHECK_FALSE(none.is_ours());
}

TEST_CASE("a large message (over 8 MiB) is stored whole, apart from the group commit, and its "
          "connection is closed afterwards (libpq keeps a send buffer as large as it grew)",
          "[milter][store][memory]") {
    Harness h;
    std::string photo(9 << 20, 'A');
    for (size_t at = 76; at < photo.size(); at += 78)
        photo.replace(at, 2, "\r\n");
    const std::string raw = "From: Jana <jana.krueger@example.org>\r\nTo: mueller@dein.auto\r\n"
                            "Subject: Anfrage mit Foto\r\nMessage-ID: <big@example.org>\r\n"
                            "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n"
                            "\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nIst der "
                            "Golf noch da? Tel. 0171 5550123\r\n--b\r\nContent-Type: image/jpeg\r\n"
                            "Content-Transfer-Encoding: base64\r\n\r\n" +
                            photo + "\r\n--b--\r\n";
    auto small = h.store(
        h.message(fixture("person-plain"), "jana.krueger@example.org", {"<mueller@dein.auto>"}));
    REQUIRE(small.lead_class() == "lead");
    CHECK(h.pool.open_connections() == 1); // kept for the next message
    auto state = h.message(raw, "jana.krueger@example.org", {"<mueller@dein.auto>"});
    auto big = h.store(state);
    CHECK(big.dealers.front().lead_id); // the existing contact's open lead, or a new one
    CHECK(count(h.db, "SELECT count(*) FROM messages WHERE octet_length(raw) = $1",
                {std::to_string(raw.size())}) == 1);
    CHECK(h.pool.open_connections() == 0); // it took the idle one and closed it
}

TEST_CASE("ESMTP SIZE makes room for the message once it is ours, never past the size limit",
          "[milter][memory]") {
    Harness h;
    auto state = h.message("", "a@example.org", {"<mueller@dein.auto>"});
    state.expect_size("SIZE=123456");
    CHECK(state.announced_size == 123456);
    state.expect_size("BODY=8BITMIME");
    CHECK(state.announced_size == 123456);
    auto lying = h.message("", "a@example.org", {"<mueller@dein.auto>"});
    lying.expect_size("SIZE=99999999999999999999");
    CHECK(lying.announced_size == 0);
    lying.expect_size("SIZE=12x");
    CHECK(lying.announced_size == 0);
    lying.append("Subject: x\r\n\r\nHallo\r\n");
    CHECK(std::string(lying.raw.view()) == "Subject: x\r\n\r\nHallo\r\n");
}
