// Issue #15, item 1: a salesperson answers a notice at their own reply
// address with a command on the first line, and the milter carries it out
// in the transaction that stores the mail, through leadctl's store
// functions. Against the real PostgreSQL; the notice's Reply-To is the one
// leadd would send. A stranger, another user, an auto-reply or a stale
// address changes nothing.
#include "classify/mail_view.hpp"
#include "lead_seed.hpp"
#include "leadctl_run.hpp"
#include "milter_harness.hpp"
#include "outbox_mail.hpp"
#include "store/firing_run.hpp"
#include "store/outbox_store.hpp"

#include <catch2/catch.hpp>

using namespace lr;
using lr::test::count;
using Harness = lr::test::MilterHarness;

namespace {

const test::Replacements with_pool = test::pool_mode(false);

const std::map<std::string, std::string> email_of = {
    {"schmidt", "a.schmidt@autohaus-mueller.example"},
    {"weber", "j.weber@autohaus-mueller.example"},
    {"mayer", "p.mayer@autohaus-mueller.example"},
    {"admin", "admin@autohaus-mueller.example"}};

// The reply address the notice to user about lead carries: the one the
// firing pass made, read back as leadd reads it when it sends the notice.
std::string reply_address_of(Harness& h, long long lead, const std::string& user,
                             const std::string& kind = "reminder") {
    // Each user's notice in a chain of its own (one event per kind and chain).
    h.db.exec("INSERT INTO scheduled_events (lead_id, kind, chain, anchor_at, due_at, send_at, "
              "addressee) VALUES ($1, $3, (SELECT count(*) + 1 FROM scheduled_events WHERE "
              "lead_id = $1), now(), now() - interval '1 minute', now() - interval '1 minute', "
              "$2)",
              {std::to_string(lead), user, kind});
    auto connection = h.db.connect();
    REQUIRE(store::fire_due_events(connection, h.runtime->config, 10, h.now));
    auto leased = connection.exec(store::lease_outbox(h.now, 10, 60, {"mueller"}, "test"));
    REQUIRE(leased);
    for (const auto& row : store::read_leased(*leased)) {
        if (row.user_id != user || row.lead_id != lead)
            continue;
        auto prepared = daemon::prepare_mail(*h.runtime->config, row, h.now);
        REQUIRE(prepared);
        const std::string& message = prepared->job.message;
        const size_t at = message.find("Reply-To: ");
        REQUIRE(at != std::string::npos);
        return message.substr(at + 10, message.find("\r\n", at) - at - 10);
    }
    FAIL("no notice to " + user + " about lead " + std::to_string(lead));
    return {};
}

milter::Outcome command(Harness& h, const std::string& from_user, const std::string& to,
                        const std::string& body, const std::string& id,
                        const std::string& extra_headers = "") {
    const std::string from = email_of.count(from_user) ? email_of.at(from_user) : from_user;
    return h.store(
        h.message(extra_headers + "From: " + from + "\r\nTo: " + to +
                      "\r\nSubject: Re: Erinnerung\r\nMessage-ID: <" + id +
                      "@example.net>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body +
                      "\r\n\r\nVon meinem iPhone gesendet\r\n\r\n> Erinnerung: "
                      "Anfrage\r\n> erledigt\r\n",
                  from, {"<" + to + ">"}));
}

struct LeadRow {
    std::string state, assignee, responded_by;
    long long pending;
};
LeadRow lead_row(Harness& h, long long lead) {
    auto row = h.db.exec("SELECT state, coalesce(assignee, ''), coalesce(responded_by, ''), "
                         "(SELECT count(*) FROM scheduled_events WHERE lead_id = $1 AND state = "
                         "'pending') FROM leads WHERE id = $1",
                         {std::to_string(lead)});
    return {row.text(0, 0), row.text(0, 1), row.text(0, 2), row.integer(0, 3)};
}

// The answers queued to the user, oldest first, decoded: the headers as
// sent, then the subject and the text as a mail program shows them.
std::vector<std::string> answers_to(Harness& h, const std::string& user) {
    auto rows = h.db.exec("SELECT encode(content, 'escape') FROM outbox WHERE kind = "
                          "'command_reply' AND recipients = ARRAY[$1] ORDER BY id",
                          {email_of.at(user)});
    std::vector<std::string> out;
    for (int i = 0; i < rows.size(); ++i) {
        const std::string raw = rows.text(i, 0);
        auto view = classify::read_mail(raw);
        REQUIRE(view);
        out.push_back(raw.substr(0, raw.find("\r\n\r\n")) + "\n\nSubject: " + view->subject +
                      "\n\n" + view->text());
    }
    return out;
}

std::string actions(Harness& h, long long lead) {
    return h.db
        .exec("SELECT coalesce(string_agg(action || ':' || coalesce(user_id, '-') || ':' || "
              "channel, ' ' ORDER BY id), '') FROM lead_actions WHERE lead_id = $1",
              {std::to_string(lead)})
        .text(0, 0);
}

long long assigned(Harness& h, const std::string& user, const std::string& email) {
    auto lead = test::add_lead(h.db, {.email = email, .state = "assigned", .assignee = user});
    test::add_pending_event(h.db, lead, "level1", user);
    return lead;
}

} // namespace

TEST_CASE("reply command übernehmen: a pool member claims the pool lead from the notice",
          "[milter][command][pool]") {
    Harness h(with_pool);
    auto lead = test::add_lead(
        h.db, {.email = "tom.becker@example.net", .state = "assigned", .assignee = "pool"});
    const auto address = reply_address_of(h, lead, "weber");
    auto outcome = command(h, "weber", address, "Übernehmen", "c1");
    CHECK(outcome.lead_class() == "command; reason=done");
    auto after = lead_row(h, lead);
    CHECK(after.state == "assigned");
    CHECK(after.assignee == "weber");
    CHECK(after.pending > 0); // weber's own chain starts
    CHECK(actions(h, lead) == "claim:weber:mail");
    CHECK(count(h.db,
                "SELECT count(*) FROM assignments WHERE lead_id = $1 AND rule = 'claim' "
                "AND actor = 'leadmilter'",
                {std::to_string(lead)}) == 1);
    CHECK(count(h.db,
                "SELECT count(*) FROM messages WHERE kind = 'command' AND reason = 'done' "
                "AND lead_id = $1",
                {std::to_string(lead)}) == 1);
    auto answers = answers_to(h, "weber");
    REQUIRE(answers.size() == 1);
    CHECK(answers[0].find("In-Reply-To: <c1@example.net>") != std::string::npos);
    CHECK(answers[0].find("Auto-Submitted: auto-generated") != std::string::npos);
    CHECK(answers[0].find("Sie haben die Anfrage übernommen") != std::string::npos);
    // The command mail still reaches the location's inbox (nothing lost).
    REQUIRE(outcome.dealers.size() == 1);
    CHECK(outcome.dealers[0].envelope.add ==
          std::vector<std::string>{"verkauf@autohaus-mueller.example"});

    // leadctl why shows who claimed it, and through which door.
    auto why = test::run_leadctl({"why", "--config", test::write_example_config(with_pool),
                                  "--database", h.db.conninfo(), "--lead", std::to_string(lead)});
    INFO(why.err);
    CHECK(why.rc == 0);
    CHECK(why.out.find("claim by weber via mail") != std::string::npos);
}

TEST_CASE("reply command übernehmen: two users claim one pool lead, one wins and the other is "
          "told who has it",
          "[milter][command][pool]") {
    Harness h(with_pool);
    auto lead = test::add_lead(
        h.db, {.email = "tom.becker@example.net", .state = "assigned", .assignee = "pool"});
    const auto weber = reply_address_of(h, lead, "weber");
    const auto schmidt = reply_address_of(h, lead, "schmidt");
    CHECK(weber != schmidt);
    CHECK(command(h, "schmidt", schmidt, "übernehmen", "s1").lead_class() ==
          "command; reason=done");
    CHECK(command(h, "weber", weber, "übernehmen", "w1").lead_class() == "command; reason=refused");
    CHECK(lead_row(h, lead).assignee == "schmidt");
    CHECK(actions(h, lead) == "claim:schmidt:mail");
    auto answers = answers_to(h, "weber");
    REQUIRE(answers.size() == 1);
    CHECK(answers[0].find("Subject: Nicht ausgeführt: übernehmen") != std::string::npos);
    CHECK(answers[0].find("Anna Schmidt hat sie bereits") != std::string::npos);
    CHECK(answers[0].find("wiedervorlage 03.12. 10:00") != std::string::npos); // the help
}

TEST_CASE("reply commands erledigt, wiedervorlage, an, schließen do what they say and land in "
          "the audit trail with channel mail",
          "[milter][command]") {
    Harness h;
    SECTION("erledigt: the reaction, the escalations end") {
        auto lead = assigned(h, "schmidt", "tom.becker@example.net");
        auto outcome =
            command(h, "schmidt", reply_address_of(h, lead, "schmidt"), "Erledigt", "e1");
        CHECK(outcome.lead_class() == "command; reason=done");
        auto after = lead_row(h, lead);
        CHECK(after.state == "responded");
        CHECK(after.responded_by == "schmidt");
        CHECK(after.pending == 0);
        CHECK(actions(h, lead) == "reaction:schmidt:mail");
    }
    SECTION("wiedervorlage: a resubmission chain at the local time written") {
        auto lead = assigned(h, "schmidt", "tom.becker@example.net");
        const auto zone = date::locate_zone("Europe/Berlin");
        const auto day = date::year_month_day{
            date::floor<date::days>(zone->to_local(h.now + std::chrono::hours{24 * 3}))};
        char text[32];
        std::snprintf(text, sizeof text, "%02u.%02u.%04d 10:30", unsigned(day.day()),
                      unsigned(day.month()), int(day.year()));
        auto outcome = command(h, "schmidt", reply_address_of(h, lead, "schmidt"),
                               std::string("wiedervorlage ") + text, "v1");
        CHECK(outcome.lead_class() == "command; reason=done");
        auto due = h.db.exec("SELECT extract(epoch FROM due_at)::bigint FROM scheduled_events "
                             "WHERE lead_id = $1 AND kind = 'resubmission'",
                             {std::to_string(lead)});
        REQUIRE(due.size() == 1);
        const auto expected =
            core::local_to_instant(core::LocalTime{date::local_days{day}} + std::chrono::hours{10} +
                                       std::chrono::minutes{30},
                                   zone);
        CHECK(due.integer(0, 0) == expected.time_since_epoch().count());
        CHECK(actions(h, lead) == "resubmission:schmidt:mail");
        CHECK(answers_to(h, "schmidt").back().find("Die Wiedervorlage ist gesetzt") !=
              std::string::npos);
    }
    SECTION("an weber, by schmidt's supervisor mayer (level 2 went to her)") {
        auto lead = assigned(h, "schmidt", "tom.becker@example.net");
        auto outcome = command(h, "mayer", reply_address_of(h, lead, "mayer"), "an Weber", "a1");
        CHECK(outcome.lead_class() == "command; reason=done");
        CHECK(lead_row(h, lead).assignee == "weber");
        CHECK(actions(h, lead) == "reassign:mayer:mail");
        CHECK(answers_to(h, "mayer").back().find("Jonas Weber zugewiesen") != std::string::npos);
    }
    SECTION("an weber, by schmidt herself: only supervisors and the admin user") {
        auto lead = assigned(h, "schmidt", "tom.becker@example.net");
        auto outcome =
            command(h, "schmidt", reply_address_of(h, lead, "schmidt"), "an weber", "a2");
        CHECK(outcome.lead_class() == "command; reason=refused");
        CHECK(lead_row(h, lead).assignee == "schmidt");
        CHECK(actions(h, lead).empty());
        CHECK(answers_to(h, "schmidt").back().find("Neu zuweisen können nur") != std::string::npos);
    }
    SECTION("schließen") {
        auto lead = assigned(h, "schmidt", "tom.becker@example.net");
        auto outcome =
            command(h, "schmidt", reply_address_of(h, lead, "schmidt"), "Schließen", "x1");
        CHECK(outcome.lead_class() == "command; reason=done");
        CHECK(lead_row(h, lead).state == "closed");
        CHECK(lead_row(h, lead).pending == 0);
        CHECK(actions(h, lead) == "close:schmidt:mail");
    }
    SECTION("not understood: the lead stays, the answer lists the commands") {
        auto lead = assigned(h, "schmidt", "tom.becker@example.net");
        auto outcome = command(h, "schmidt", reply_address_of(h, lead, "schmidt"),
                               "wiedervorlage irgendwann", "n1");
        CHECK(outcome.lead_class() == "command; reason=not_understood");
        auto after = lead_row(h, lead);
        CHECK(after.state == "assigned");
        CHECK(after.pending > 0);
        CHECK(actions(h, lead).empty());
        auto answer = answers_to(h, "schmidt").back();
        CHECK(answer.find("Subject: Nicht verstanden: wiedervorlage irgendwann") !=
              std::string::npos);
        CHECK(answer.find("irgendwann") != std::string::npos);
        CHECK(answer.find("an weber") != std::string::npos);
    }
    SECTION("an ordinary answer stays a reaction, as before") {
        auto lead = assigned(h, "schmidt", "tom.becker@example.net");
        auto outcome = command(h, "schmidt", reply_address_of(h, lead, "schmidt"),
                               "Habe den Kunden angerufen.", "o1");
        CHECK(outcome.lead_class() == "reaction");
        CHECK(lead_row(h, lead).state == "responded");
        CHECK(actions(h, lead) == "reaction:schmidt:mail");
        CHECK(answers_to(h, "schmidt").empty());
    }
}

TEST_CASE("reply commands from a stranger, from another user, by auto-reply or to a stale "
          "address do nothing",
          "[milter][command][attack]") {
    Harness h;
    auto lead = assigned(h, "schmidt", "tom.becker@example.net");
    const auto address = reply_address_of(h, lead, "schmidt");
    const auto before = lead_row(h, lead);
    const auto untouched = [&](const milter::Outcome& outcome) {
        auto after = lead_row(h, lead);
        CHECK(after.state == before.state);
        CHECK(after.assignee == before.assignee);
        CHECK(after.pending == before.pending);
        CHECK(actions(h, lead).empty());
        CHECK(count(h.db, "SELECT count(*) FROM outbox WHERE kind = 'command_reply'") == 0);
        REQUIRE(outcome.dealers.size() == 1);
    };
    SECTION("a stranger who got hold of the address, writing as schmidt") {
        auto outcome = command(h, "Anna Schmidt <mallory@example.net>", address, "schließen", "m1");
        untouched(outcome);
        CHECK(outcome.lead_class() == "unassignable; reason=unverified_sender");
        REQUIRE(outcome.dealers[0].command);
        CHECK(outcome.dealers[0].command->find("ignored") != std::string::npos);
    }
    SECTION("forging schmidt's From at her address from elsewhere still proves nothing more "
            "than the address: a guessed address is not hers") {
        const std::string guessed = "mueller+r" + std::string(32, 'a') + "@dein.auto";
        auto outcome = command(h, "schmidt", guessed, "schließen", "g1");
        untouched(outcome);
        CHECK(outcome.lead_class().rfind("command", 0) != 0);
    }
    SECTION("another user, proven by SMTP login, at schmidt's address") {
        auto outcome = h.store(
            h.message("From: j.weber@autohaus-mueller.example\r\nTo: " + address +
                          "\r\nSubject: Re\r\nMessage-ID: <w9@example.net>\r\n\r\nschließen\r\n",
                      "j.weber@autohaus-mueller.example", {"<" + address + ">"},
                      "j.weber@autohaus-mueller.example"));
        untouched(outcome);
        CHECK(outcome.lead_class() == "command; reason=not_the_addressee");
    }
    SECTION("schmidt's out-of-office reply") {
        auto outcome =
            command(h, "schmidt", address, "erledigt", "ooo1", "Auto-Submitted: auto-replied\r\n");
        untouched(outcome);
    }
    SECTION("schmidt's out-of-office reply without a command word: no reaction either") {
        auto outcome = command(h, "schmidt", address,
                               "Ich bin bis zum 05.12. nicht im Haus. Ihre E-Mail wird nicht "
                               "weitergeleitet.",
                               "ooo2", "Auto-Submitted: auto-replied\r\n");
        untouched(outcome);
        CHECK(outcome.lead_class() == "unassignable; reason=auto_reply");
    }
    SECTION("an address last sent longer ago than system.action_lifetime") {
        h.db.exec("UPDATE reply_keys SET renewed_at = now() - interval '8 days'");
        auto outcome = command(h, "schmidt", address, "schließen", "old1");
        untouched(outcome);
        CHECK(outcome.lead_class() == "command; reason=expired");
        REQUIRE(outcome.dealers[0].command);
        CHECK(outcome.dealers[0].command->find("system.action_lifetime") != std::string::npos);
        // A new notice renews it.
        CHECK(reply_address_of(h, lead, "schmidt", "level2") == address);
        CHECK(command(h, "schmidt", address, "schließen", "old2").lead_class() ==
              "command; reason=done");
    }
}
