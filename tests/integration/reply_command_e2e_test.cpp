// Issue #15, item 1 end to end: the production processes in daemon mode
// (leadmilter behind a private Postfix, leadd sending to smtp-sink), a
// customer's mail through Postfix, the pool notices at the sink, and the
// salespeople answering them through Postfix as their phones would: one
// claims with "Übernehmen", the other is told who was faster, the winner
// marks the lead answered with "erledigt".
#include "example_config.hpp"
#include "lead_seed.hpp"
#include "milter_process.hpp"
#include "postfix_instance.hpp"
#include "process.hpp"
#include "run_outcome.hpp"
#include "sink_mails.hpp"
#include "smtp_client.hpp"
#include "smtp_sink.hpp"
#include "test_database.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>

using namespace lr;
using namespace std::chrono_literals;
using test::find_mail;
using test::sink_mails;
using test::SinkMail;

namespace {

std::string answer(const std::string& from, const std::string& to, const std::string& first_line,
                   const std::string& id) {
    return "From: " + from + "\r\nTo: " + to + "\r\nSubject: AW: Neue Anfrage im Pool\r\n" +
           "Message-ID: <" + id + "@autohaus-mueller.example>\r\nMIME-Version: 1.0\r\n" +
           "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
           first_line + "\r\n\r\nVon meinem iPhone gesendet\r\n";
}

} // namespace

TEST_CASE("end to end: a pool lead claimed by a reply command from the notice, the slower "
          "colleague told who has it, the lead answered by reply command",
          "[e2e][postfix][leadd][command]") {
    test::TestDatabase db;
    test::SmtpSink sink;
    auto replacements = test::round_the_clock();
    replacements.push_back(test::smtp_at(sink.address()).front());
    for (auto& replacement : test::pool_mode(true))
        replacements.push_back(replacement);
    const std::string config = test::write_example_config(replacements);
    const int milter_port = test::free_loopback_port();
    test::MilterProcess milter(LEADMILTER_BINARY, config, db.conninfo(),
                               "inet:" + std::to_string(milter_port) + "@127.0.0.1");
    test::PostfixInstance mx(
        {"mx", sink.address(), "inet:127.0.0.1:" + std::to_string(milter_port), {}});
    const auto log = std::filesystem::temp_directory_path() /
                     ("leadrouter-command-e2e-" + std::to_string(getpid()) + ".log");
    test::ChildProcess leadd({LEADD_BINARY, "--config", config, "--database", db.conninfo()},
                             log.string());

    REQUIRE(test::send_mail(mx.smtp_port(), "kunde.e2e@example.org", {"mueller@dein.auto"},
                            test::customer_mail("e2e"))
                .ok());
    // The pool notices: one mail per member, each with its own reply address.
    std::optional<SinkMail> to_weber, to_schmidt;
    REQUIRE(test::eventually(
        [&] {
            to_weber = find_mail(sink, "j.weber@autohaus-mueller.example", "Neue Anfrage im Pool");
            to_schmidt =
                find_mail(sink, "a.schmidt@autohaus-mueller.example", "Neue Anfrage im Pool");
            return to_weber && to_schmidt;
        },
        60s));
    CHECK(to_weber->reply_to.find("mueller+r") != std::string::npos);
    CHECK(to_schmidt->reply_to.find("mueller+r") != std::string::npos);
    CHECK(to_weber->reply_to != to_schmidt->reply_to);
    CHECK(to_weber->text.find("„übernehmen“") != std::string::npos);
    const long long lead = db.exec("SELECT id FROM leads").integer(0, 0);
    CHECK(db.exec("SELECT assignee FROM leads").text(0, 0) == "pool");

    // Weber claims from his phone; schmidt a moment later.
    REQUIRE(test::send_mail(mx.smtp_port(), "j.weber@autohaus-mueller.example",
                            {to_weber->reply_to},
                            answer("Jonas Weber <j.weber@autohaus-mueller.example>",
                                   to_weber->reply_to, "Übernehmen", "w-claim"))
                .ok());
    REQUIRE(test::eventually(
        [&] { return db.exec("SELECT assignee FROM leads").text(0, 0) == "weber"; }, 30s));
    REQUIRE(test::send_mail(mx.smtp_port(), "a.schmidt@autohaus-mueller.example",
                            {to_schmidt->reply_to},
                            answer("Anna Schmidt <a.schmidt@autohaus-mueller.example>",
                                   to_schmidt->reply_to, "übernehmen", "s-claim"))
                .ok());
    std::optional<SinkMail> done, refused;
    REQUIRE(test::eventually(
        [&] {
            done = find_mail(sink, "j.weber@autohaus-mueller.example", "Erledigt: Übernehmen");
            refused = find_mail(sink, "a.schmidt@autohaus-mueller.example",
                                "Nicht ausgeführt: übernehmen");
            return done && refused;
        },
        60s));
    CHECK(done->text.find("Sie haben die Anfrage übernommen") != std::string::npos);
    CHECK(refused->text.find("Jonas Weber hat sie bereits") != std::string::npos);
    CHECK(db.exec("SELECT assignee FROM leads").text(0, 0) == "weber");

    // The same reply address now answers the lead.
    REQUIRE(test::send_mail(mx.smtp_port(), "j.weber@autohaus-mueller.example",
                            {to_weber->reply_to},
                            answer("Jonas Weber <j.weber@autohaus-mueller.example>",
                                   to_weber->reply_to, "erledigt", "w-done"))
                .ok());
    REQUIRE(test::eventually(
        [&] {
            return db.exec("SELECT state || '/' || coalesce(responded_by, '') FROM leads")
                       .text(0, 0) == "responded/weber";
        },
        30s));
    CHECK(db.exec("SELECT string_agg(action || ':' || user_id || ':' || channel, ' ' ORDER BY "
                  "id) FROM lead_actions WHERE lead_id = $1",
                  {std::to_string(lead)})
              .text(0, 0) == "claim:weber:mail reaction:weber:mail");
    // Every command mail was still delivered to the dealer's inbox.
    REQUIRE(test::eventually([&] { return mx.queued() == 0; }, 30s));
    int in_inbox = 0;
    for (const auto& mail : sink_mails(sink))
        in_inbox += mail.recipient == "<verkauf@autohaus-mueller.example>" &&
                    mail.subject == "AW: Neue Anfrage im Pool";
    CHECK(in_inbox == 3);
    // The journal says what happened to each command.
    const std::string journal = test::read_text_file(milter.log_file());
    CHECK(journal.find("reply command carried out") != std::string::npos);
    CHECK(journal.find("reply command not carried out") != std::string::npos);
    CHECK(journal.find("claim by schmidt refused") != std::string::npos);
    leadd.signal(SIGTERM);
    CHECK(leadd.wait(10s) == 0);
}
