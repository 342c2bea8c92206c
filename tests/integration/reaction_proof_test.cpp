// Issue #14, item 1: a mail counts as a salesperson's reaction (and
// silences the lead) only when something proves it is theirs: the reply
// address of a notice, a SASL submission as them, or a trusted
// Authentication-Results pass. A From header alone is what anyone can
// write; such a mail leaves the lead as it was.
#include "lead_seed.hpp"
#include "milter_harness.hpp"
#include "outbox_mail.hpp"
#include "store/firing_run.hpp"
#include "store/outbox_store.hpp"

#include <catch2/catch.hpp>

using namespace lr;
using lr::test::count;
using Harness = lr::test::MilterHarness;

namespace {

const test::Replacements trusting_mx = {
    {"    socket: \"unix:/run/leadmilter/milter.sock\"",
     "    socket: \"unix:/run/leadmilter/milter.sock\"\n    trusted_authserv_ids: [mx.dein.auto]"}};

// An assigned lead of Tom Becker held by schmidt, with its level 1 pending.
long long open_lead(Harness& h) {
    auto lead = test::add_lead(
        h.db, {.email = "tom.becker@example.net", .state = "assigned", .assignee = "schmidt"});
    test::add_pending_event(h.db, lead, "level1", "schmidt");
    return lead;
}

// What schmidt (or someone using her address) sends the customer, with a
// copy to the dealer's mailbox; extra headers go on top.
std::string answer(const std::string& top_headers = "",
                   const std::string& from = "Anna Schmidt <a.schmidt@autohaus-mueller.example>",
                   const std::string& id = "s1") {
    return top_headers + "From: " + from +
           "\r\nTo: tom.becker@example.net\r\nCc: mueller@dein.auto\r\nSubject: Ihr Golf\r\n"
           "Message-ID: <" +
           id + "@autohaus-mueller.example>\r\n\r\nGerne, Samstag um 10 Uhr.\r\n";
}

const std::vector<std::string> answer_recipients = {"<tom.becker@example.net>",
                                                    "<mueller@dein.auto>"};

struct LeadState {
    std::string state;
    std::string responded_by;
    long long pending = 0;
};
LeadState lead_state(Harness& h, long long lead) {
    auto row = h.db.exec("SELECT state, coalesce(responded_by, ''), (SELECT count(*) FROM "
                         "scheduled_events WHERE lead_id = $1 AND state = 'pending') FROM leads "
                         "WHERE id = $1",
                         {std::to_string(lead)});
    return {row.text(0, 0), row.text(0, 1), row.integer(0, 2)};
}

void check_silenced(Harness& h, long long lead, const milter::Outcome& outcome,
                    const std::string& proof) {
    CHECK(outcome.lead_class() == "reaction");
    CHECK(outcome.dealers.front().proof == proof);
    CHECK_FALSE(outcome.dealers.front().doubt);
    auto after = lead_state(h, lead);
    CHECK(after.state == "responded");
    CHECK(after.responded_by == "schmidt");
    CHECK(after.pending == 0);
}

void check_untouched(Harness& h, long long lead, const milter::Outcome& outcome) {
    CHECK(outcome.lead_class() == "unassignable; reason=unverified_sender");
    REQUIRE(outcome.dealers.front().doubt);
    CHECK(outcome.dealers.front().doubt->find("lead " + std::to_string(lead)) == 0);
    auto after = lead_state(h, lead);
    CHECK(after.state == "assigned");
    CHECK(after.responded_by.empty());
    CHECK(after.pending == 1);
    CHECK(count(h.db, "SELECT count(*) FROM messages WHERE kind = 'reaction'") == 0);
    // The dealer hears of it (unassigned_notify), as of any mail without a lead.
    CHECK(count(h.db, "SELECT count(*) FROM outbox WHERE kind = 'unassignable'") == 1);
}

} // namespace

TEST_CASE("a forged reaction from an outside client (From: the salesperson, no proof) leaves the "
          "lead assigned and its escalations pending",
          "[milter][proof][attack]") {
    Harness h(trusting_mx);
    auto lead = open_lead(h);
    auto outcome =
        h.store(h.message(answer(), "a.schmidt@autohaus-mueller.example", answer_recipients));
    check_untouched(h, lead, outcome);
    CHECK(outcome.dealers.front().doubt->find("nothing proves it") != std::string::npos);
}

TEST_CASE("a SASL submission as the user proves the reaction, another user's login does not",
          "[milter][proof]") {
    SECTION("the user's own login (the e-mail address when smtp_login is not set)") {
        Harness h;
        auto lead = open_lead(h);
        auto outcome = h.store(h.message(answer(), "a.schmidt@autohaus-mueller.example",
                                         answer_recipients, "A.Schmidt@autohaus-mueller.example"));
        check_silenced(h, lead, outcome, "smtp_auth");
    }
    SECTION("a configured smtp_login") {
        Harness h(test::Replacements{{"        email: a.schmidt@autohaus-mueller.example",
                                      "        email: a.schmidt@autohaus-mueller.example\n"
                                      "        smtp_login: aschmidt"}});
        auto lead = open_lead(h);
        auto outcome = h.store(h.message(answer(), "a.schmidt@autohaus-mueller.example",
                                         answer_recipients, "aschmidt"));
        check_silenced(h, lead, outcome, "smtp_auth");
    }
    SECTION("weber logged in, writing as schmidt") {
        Harness h;
        auto lead = open_lead(h);
        auto outcome = h.store(h.message(answer(), "a.schmidt@autohaus-mueller.example",
                                         answer_recipients, "j.weber@autohaus-mueller.example"));
        check_untouched(h, lead, outcome);
    }
}

TEST_CASE("the reply address of a notice proves the reaction of the user it was sent to, and of "
          "nobody else",
          "[milter][proof]") {
    Harness h;
    auto lead = open_lead(h);
    h.db.exec("UPDATE scheduled_events SET due_at = now() - interval '1 minute', send_at = now() "
              "- interval '1 minute'");
    auto connection = h.db.connect();
    REQUIRE(store::fire_due_events(connection, h.runtime->config, 10, h.now));
    test::add_pending_event(h.db, lead, "level2", "mayer"); // still to come
    // The notice goes out with schmidt's own reply address for this lead.
    auto leased = connection.exec(store::lease_outbox(h.now, 10, 60, {"mueller"}, "test"));
    REQUIRE(leased);
    auto rows = store::read_leased(*leased);
    REQUIRE(rows.size() == 1);
    REQUIRE(rows.front().reply_key.size() == 32);
    auto prepared = daemon::prepare_mail(*h.runtime->config, rows.front(), h.now);
    REQUIRE(prepared);
    const std::string reply_address = "mueller+r" + rows.front().reply_key + "@dein.auto";
    CHECK(prepared->job.message.find("Reply-To: " + reply_address) != std::string::npos);
    CHECK(prepared->job.message.find("antworten Sie kurz auf diese E-Mail") != std::string::npos);
    // The same user and lead keep the same address (a resend, a reminder).
    CHECK(count(h.db,
                "SELECT count(*) FROM reply_keys WHERE lead_id = $1 AND user_id = "
                "'schmidt'",
                {std::to_string(lead)}) == 1);

    auto to_reply_address = [&](const std::string& from, const std::string& id) {
        return "From: " + from + "\r\nTo: " + reply_address +
               "\r\nSubject: Re: Eskalation\r\nMessage-ID: <" + id +
               "@example.net>\r\n\r\nHabe angerufen, Termin am Samstag.\r\n";
    };
    SECTION("a stranger who got hold of the address") {
        auto outcome = h.store(h.message(to_reply_address("Mallory <mallory@example.net>", "m1"),
                                         "mallory@example.net", {"<" + reply_address + ">"}));
        check_untouched(h, lead, outcome);
    }
    SECTION("another user writing to schmidt's address") {
        auto outcome =
            h.store(h.message(to_reply_address("j.weber@autohaus-mueller.example", "w1"),
                              "j.weber@autohaus-mueller.example", {"<" + reply_address + ">"}));
        check_untouched(h, lead, outcome);
    }
    SECTION("schmidt herself, from any server") {
        auto outcome = h.store(
            h.message(to_reply_address("Anna Schmidt <a.schmidt@autohaus-mueller.example>", "a1"),
                      "a.schmidt@autohaus-mueller.example", {"<" + reply_address + ">"}));
        check_silenced(h, lead, outcome, "reply_address");
    }
    SECTION("a guessed reply address") {
        const std::string guessed = "mueller+r" + std::string(32, '0') + "@dein.auto";
        auto outcome = h.store(
            h.message(to_reply_address("Anna Schmidt <a.schmidt@autohaus-mueller.example>", "g1"),
                      "a.schmidt@autohaus-mueller.example", {"<" + guessed + ">"}));
        CHECK(outcome.lead_class() != "reaction");
        CHECK(lead_state(h, lead).pending == 1);
    }
}

TEST_CASE("Authentication-Results: a trusted authserv-id at the top proves by DMARC or aligned "
          "DKIM, an untrusted one, or the trusted one further down, counts for nothing",
          "[milter][proof][attack]") {
    const std::string dmarc_pass =
        "Authentication-Results: mx.dein.auto; dmarc=pass (p=none dis=none) "
        "header.from=autohaus-mueller.example\r\n";
    SECTION("DMARC pass from the trusted front milter") {
        Harness h(trusting_mx);
        auto lead = open_lead(h);
        auto outcome = h.store(
            h.message(answer(dmarc_pass), "a.schmidt@autohaus-mueller.example", answer_recipients));
        check_silenced(h, lead, outcome, "authentication_results");
    }
    SECTION("DKIM pass by the From domain's parent (relaxed alignment)") {
        Harness h(trusting_mx);
        auto lead = open_lead(h);
        auto outcome = h.store(
            h.message(answer("Authentication-Results: mx.dein.auto;\r\n\tdkim=pass (2048-bit key) "
                             "header.d=autohaus-mueller.example header.i=@autohaus-mueller.example "
                             "header.b=\"AbCd\"\r\n"),
                      "a.schmidt@autohaus-mueller.example", answer_recipients));
        check_silenced(h, lead, outcome, "authentication_results");
    }
    SECTION("DKIM pass by another domain") {
        Harness h(trusting_mx);
        auto lead = open_lead(h);
        auto outcome = h.store(h.message(
            answer("Authentication-Results: mx.dein.auto; dkim=pass header.d=mailer.example\r\n"),
            "a.schmidt@autohaus-mueller.example", answer_recipients));
        check_untouched(h, lead, outcome);
    }
    SECTION("DMARC pass from an authserv-id nobody trusts") {
        Harness h(trusting_mx);
        auto lead = open_lead(h);
        auto outcome =
            h.store(h.message(answer("Authentication-Results: mx.attacker.example; "
                                     "dmarc=pass header.from=autohaus-mueller.example\r\n"),
                              "a.schmidt@autohaus-mueller.example", answer_recipients));
        check_untouched(h, lead, outcome);
    }
    SECTION("the trusted id below the message's own headers (it came from outside)") {
        Harness h(trusting_mx);
        auto lead = open_lead(h);
        auto state = h.message("Received: from attacker.example\r\n" + answer(dmarc_pass),
                               "a.schmidt@autohaus-mueller.example", answer_recipients);
        auto outcome = h.store(state);
        check_untouched(h, lead, outcome);
        auto sorted = core::sort_auth_headers(state.auth_headers, {"mx.dein.auto"});
        CHECK(sorted.forged == std::vector<int>{1}); // removed from the message
    }
    SECTION("no authserv-id configured: nothing is trusted") {
        Harness h;
        auto lead = open_lead(h);
        auto outcome = h.store(
            h.message(answer(dmarc_pass), "a.schmidt@autohaus-mueller.example", answer_recipients));
        check_untouched(h, lead, outcome);
    }
}

TEST_CASE("a dealer's reaction_proofs narrow what counts", "[milter][proof]") {
    Harness h(test::Replacements{
        {"    admin_user: admin", "    admin_user: admin\n    reaction_proofs: [reply_address]"}});
    auto lead = open_lead(h);
    auto outcome = h.store(h.message(answer(), "a.schmidt@autohaus-mueller.example",
                                     answer_recipients, "a.schmidt@autohaus-mueller.example"));
    check_untouched(h, lead, outcome);
}

TEST_CASE("a reply by a real Message-ID of ours counts as the customer's only from the customer",
          "[milter][proof][attack]") {
    Harness h;
    auto lead = open_lead(h);
    h.db.exec("INSERT INTO outbox (dealer_id, lead_id, kind, message_id, mail_from, recipients, "
              "state) VALUES ('mueller', $1, 'reply', '<leadrouter.reply.1.feed@dein.auto>', "
              "'mueller@dein.auto', '{tom.becker@example.net}', 'sent')",
              {std::to_string(lead)});
    auto mail = [](const std::string& from, const std::string& id) {
        return "From: " + from +
               "\r\nTo: mueller@dein.auto\r\nSubject: Re: Ihr Golf\r\nIn-Reply-To: "
               "<leadrouter.reply.1.feed@dein.auto>\r\nMessage-ID: <" +
               id + "@example.net>\r\n\r\nIch habe es mir anders überlegt, kein Interesse.\r\n";
    };
    // Someone the customer forwarded our mail to (or who saw it elsewhere).
    auto stranger = h.store(h.message(mail("Mallory <mallory@example.net>", "x1"),
                                      "mallory@example.net", {"<mueller@dein.auto>"}));
    CHECK(stranger.lead_class() != "reply");
    CHECK(stranger.dealers.front().lead_id != lead);
    CHECK(count(h.db, "SELECT count(*) FROM messages WHERE lead_id = $1", {std::to_string(lead)}) ==
          0);
    auto customer = h.store(h.message(mail("Tom Becker <Tom.Becker@example.net>", "t1"),
                                      "tom.becker@example.net", {"<mueller@dein.auto>"}));
    CHECK(customer.lead_class() == "reply");
    CHECK(customer.dealers.front().lead_id == lead);
}

TEST_CASE("a dealer that does not accept reply addresses sends its notices without one",
          "[milter][proof]") {
    Harness h(test::Replacements{
        {"    admin_user: admin", "    admin_user: admin\n    reaction_proofs: [smtp_auth]"}});
    open_lead(h);
    h.db.exec("UPDATE scheduled_events SET due_at = now() - interval '1 minute', send_at = now() "
              "- interval '1 minute'");
    auto connection = h.db.connect();
    REQUIRE(store::fire_due_events(connection, h.runtime->config, 10, h.now));
    auto leased = connection.exec(store::lease_outbox(h.now, 10, 60, {"mueller"}, "test"));
    REQUIRE(leased);
    auto rows = store::read_leased(*leased);
    REQUIRE(rows.size() == 1);
    CHECK(rows.front().reply_key.empty());
    CHECK(count(h.db, "SELECT count(*) FROM reply_keys") == 0);
    auto prepared = daemon::prepare_mail(*h.runtime->config, rows.front(), h.now);
    REQUIRE(prepared);
    CHECK(prepared->job.message.find("Reply-To:") == std::string::npos);
    CHECK(prepared->job.message.find("antworten Sie kurz") == std::string::npos);
}
