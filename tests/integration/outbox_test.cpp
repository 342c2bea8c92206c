// The outbox sender against a scripted SMTP server on loopback: headers,
// retries after 4xx, failures after 5xx, refused connections,
// send_external_mail, and SIGKILL in the middle of 1,000 sends.
#include "example_config.hpp"
#include "fake_smtp.hpp"
#include "lead_seed.hpp"
#include "leadctl_run.hpp"
#include "outbox_mail.hpp"
#include "process.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <unistd.h>

using namespace lr;
using namespace std::chrono_literals;

namespace {

// The example configuration, sending to the given server.
std::string config_for(const std::string& smtp, const std::string& from = "",
                       const std::string& to = "") {
    auto replacements = test::smtp_at(smtp);
    if (!from.empty())
        replacements.emplace_back(from, to);
    return test::write_example_config(replacements);
}

long long queue_notice(const test::TestDatabase& db, long long lead, const std::string& kind,
                       const std::string& recipients, const std::string& message_id) {
    return db
        .exec("INSERT INTO outbox (dealer_id, lead_id, kind, message_id, mail_from, recipients, "
              "payload, not_before) VALUES ('mueller', $1, $2, $3, 'mueller@dein.auto', "
              "$4::text[], jsonb_build_object('due', now()), now() - interval '1 minute') "
              "RETURNING id",
              {std::to_string(lead), kind, message_id, recipients})
        .integer(0, 0);
}

int leadd_once(const test::TestDatabase& db, const std::string& config,
               std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {LEADD_BINARY, "--config",    config,
                                     "--database", db.conninfo(), "--once"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return test::run_program(argv, "/tmp/leadd-outbox-" + std::to_string(getpid()) + ".log");
}

std::string row_state(const test::TestDatabase& db, long long id) {
    return db
        .exec("SELECT state || '|' || attempts || '|' || coalesce(last_error, '') FROM outbox "
              "WHERE id = $1",
              {std::to_string(id)})
        .text(0, 0);
}

long long lead_with_contact(const test::TestDatabase& db) {
    auto lead = test::add_lead(
        db, {.email = "jana.krueger@example.org", .state = "assigned", .assignee = "schmidt"});
    db.exec("UPDATE contacts SET first_name = 'Jana', last_name = 'Krüger'");
    db.exec("UPDATE leads SET vehicle = '{\"make\": \"Volkswagen\", \"model\": \"Golf\", "
            "\"internal_number\": \"HH-2231\"}', message = 'Noch verfügbar?' WHERE id = $1",
            {std::to_string(lead)});
    return lead;
}

} // namespace

TEST_CASE("a queued notice is sent over SMTP with the dealer's From, German subject and its "
          "Message-ID",
          "[outbox]") {
    test::FakeSmtpServer smtp;
    test::TestDatabase db;
    auto lead = lead_with_contact(db);
    auto id = queue_notice(db, lead, "level1", "{a.schmidt@autohaus-mueller.example}",
                           "<leadrouter.event.41@dein.auto>");
    CHECK(leadd_once(db, config_for(smtp.address())) == 0);
    CHECK(row_state(db, id) == "sent|1|");
    auto messages = smtp.accepted();
    REQUIRE(messages.size() == 1);
    const auto& message = messages[0];
    CHECK(message.from == "mueller@dein.auto");
    CHECK(message.to == std::vector<std::string>{"a.schmidt@autohaus-mueller.example"});
    CHECK(message.data.find("Message-Id: <leadrouter.event.41@dein.auto>\r\n") !=
          std::string::npos);
    CHECK(message.data.find("<mueller@dein.auto>") != std::string::npos);
    CHECK(message.data.find("From: Autohaus =?UTF-8?") != std::string::npos);
    CHECK(message.data.find("Subject: Eskalationsstufe 1: Anfrage " + std::to_string(lead)) !=
          std::string::npos);
    CHECK(message.data.find("multipart/alternative") != std::string::npos);
}

TEST_CASE("a server answering 451 and then 250 gets the mail once, after the backoff", "[outbox]") {
    test::FakeSmtpServer smtp;
    smtp.script_data_replies({451});
    test::TestDatabase db;
    auto lead = lead_with_contact(db);
    auto id = queue_notice(db, lead, "reminder", "{a.schmidt@autohaus-mueller.example}",
                           "<leadrouter.event.42@dein.auto>");
    auto config = config_for(smtp.address());
    CHECK(leadd_once(db, config) == 0);
    CHECK(row_state(db, id) == "queued|1|451 4.3.0 Try again later");
    CHECK(db.exec("SELECT not_before > now() + interval '50 seconds' FROM outbox WHERE id = $1",
                  {std::to_string(id)})
              .boolean(0, 0));
    CHECK(smtp.accepted().empty());
    // Too early: nothing happens.
    CHECK(leadd_once(db, config) == 0);
    CHECK(smtp.data_attempts() == 1);
    // After the retry time.
    CHECK(leadd_once(db, config, {"--clock-offset", "120"}) == 0);
    CHECK(row_state(db, id) == "sent|2|");
    CHECK(smtp.accepted().size() == 1);
    CHECK(smtp.data_attempts() == 2);
}

TEST_CASE("a 550 marks the mail failed with the server's answer and tells the admin user once",
          "[outbox]") {
    test::FakeSmtpServer smtp;
    smtp.script_data_replies({550});
    test::TestDatabase db;
    auto lead = lead_with_contact(db);
    auto id = queue_notice(db, lead, "level2", "{p.mayer@autohaus-mueller.example}",
                           "<leadrouter.event.43@dein.auto>");
    CHECK(leadd_once(db, config_for(smtp.address())) == 0);
    CHECK(row_state(db, id) == "failed|1|550 5.7.1 Message rejected by policy");
    auto notice = db.exec("SELECT array_to_string(recipients, ','), message_id, state FROM outbox "
                          "WHERE kind = 'delivery_failed'");
    REQUIRE(notice.size() == 1);
    CHECK(notice.text(0, 0) == "admin@autohaus-mueller.example");
    CHECK(std::regex_match(notice.text(0, 1),
                           std::regex("<leadrouter\\.failed\\." + std::to_string(id) +
                                      "\\.[0-9a-f]{32}@dein\\.auto>")));
    // The next pass sends the notice; the failed mail is not tried again.
    CHECK(leadd_once(db, config_for(smtp.address()), {"--clock-offset", "100000"}) == 0);
    CHECK(smtp.data_attempts() == 2);
    auto messages = smtp.accepted();
    REQUIRE(messages.size() == 1);
    CHECK(messages[0].to == std::vector<std::string>{"admin@autohaus-mueller.example"});
    CHECK(messages[0].data.find("Subject: Unzustellbar: Eskalationsstufe 2") != std::string::npos);
    CHECK(messages[0].data.find("leadctl outbox retry " + std::to_string(id)) != std::string::npos);
    CHECK(row_state(db, id) == "failed|1|550 5.7.1 Message rejected by policy");
}

TEST_CASE("a mail still refused with 4xx after max_queue_lifetime is given up, younger ones wait",
          "[outbox]") {
    test::FakeSmtpServer smtp;
    smtp.script_data_replies({451, 451});
    test::TestDatabase db;
    auto lead = lead_with_contact(db);
    auto old_mail = queue_notice(db, lead, "level1", "{a.schmidt@autohaus-mueller.example}",
                                 "<leadrouter.event.46@dein.auto>");
    auto young = queue_notice(db, lead, "reminder", "{a.schmidt@autohaus-mueller.example}",
                              "<leadrouter.event.47@dein.auto>");
    db.exec("UPDATE outbox SET queued_since = now() - interval '3 days' WHERE id = $1",
            {std::to_string(old_mail)});
    // The example's smtp block, with a lifetime of two days.
    const std::string server = "server: \"" + smtp.address() + "\"";
    auto config = config_for(smtp.address(), server, server + "\n    max_queue_lifetime: 2d");
    CHECK(leadd_once(db, config) == 0);
    CHECK(row_state(db, old_mail) ==
          "failed|1|451 4.3.0 Try again later (still refused after max_queue_lifetime)");
    CHECK(row_state(db, young).rfind("queued|1|451", 0) == 0);
    CHECK(db.exec("SELECT count(*) FROM outbox WHERE kind = 'delivery_failed'").integer(0, 0) == 1);
}

TEST_CASE("a notice about a failed mail that fails itself is not announced again", "[outbox]") {
    test::FakeSmtpServer smtp;
    smtp.script_data_replies({550, 550});
    test::TestDatabase db;
    auto lead = lead_with_contact(db);
    queue_notice(db, lead, "level2", "{p.mayer@autohaus-mueller.example}",
                 "<leadrouter.event.48@dein.auto>");
    auto config = config_for(smtp.address());
    CHECK(leadd_once(db, config) == 0);
    CHECK(leadd_once(db, config) == 0); // sends the notice: 550 too
    CHECK(smtp.data_attempts() == 2);
    CHECK(db.exec("SELECT count(*) FROM outbox WHERE state = 'failed'").integer(0, 0) == 2);
    CHECK(db.exec("SELECT count(*) FROM outbox WHERE kind = 'delivery_failed'").integer(0, 0) == 1);
    CHECK(leadd_once(db, config) == 0);
    CHECK(smtp.data_attempts() == 2);
}

TEST_CASE("leadctl outbox list --failed shows a given-up mail, retry sends it again",
          "[outbox][cli]") {
    test::FakeSmtpServer smtp;
    smtp.script_data_replies({550});
    test::TestDatabase db;
    auto lead = lead_with_contact(db);
    auto id = queue_notice(db, lead, "level1", "{a.schmidt@autohaus-mueller.example}",
                           "<leadrouter.event.49@dein.auto>");
    auto config = config_for(smtp.address());
    CHECK(leadd_once(db, config) == 0);

    auto listed = test::run_leadctl(
        {"outbox", "list", "--failed", "--config", config, "--database", db.conninfo()});
    INFO(listed.err);
    CHECK(listed.rc == 0);
    CHECK(listed.out.find("ID") == 0);
    CHECK(listed.out.find(std::to_string(id) + " ") != std::string::npos);
    CHECK(listed.out.find("550 5.7.1 Message rejected by policy") != std::string::npos);
    auto waiting =
        test::run_leadctl({"outbox", "list", "--config", config, "--database", db.conninfo()});
    CHECK(waiting.out.find("delivery_failed") != std::string::npos); // the admin's notice

    auto retried = test::run_leadctl(
        {"outbox", "retry", std::to_string(id), "--config", config, "--database", db.conninfo()});
    CHECK(retried.rc == 0);
    CHECK(retried.out == "mail " + std::to_string(id) + " queued again\n");
    CHECK(row_state(db, id) == "queued|0|550 5.7.1 Message rejected by policy");
    CHECK(leadd_once(db, config) == 0);
    CHECK(row_state(db, id) == "sent|1|");

    auto refused = test::run_leadctl(
        {"outbox", "retry", std::to_string(id), "--config", config, "--database", db.conninfo()});
    CHECK(refused.rc == 1);
    CHECK(refused.err == "leadctl outbox retry: mail " + std::to_string(id) +
                             " is sent; only a failed or queued mail is sent again\n");
    auto missing = test::run_leadctl(
        {"outbox", "retry", "999999", "--config", config, "--database", db.conninfo()});
    CHECK(missing.rc == 1);
    CHECK(missing.err == "leadctl outbox retry: there is no mail 999999\n");
}

TEST_CASE("the SMTP time limit grows with the message: a 50 MB CC gets minutes, a notice the base",
          "[outbox]") {
    CHECK(lr::daemon::smtp_time_limit(4096) == 60);
    CHECK(lr::daemon::smtp_time_limit(50u * 1024 * 1024) == 60 + 800);
}

TEST_CASE("a refused connection is retried later, nothing is lost", "[outbox]") {
    int closed_port = 0;
    {
        test::FakeSmtpServer gone;
        closed_port = gone.port();
    }
    test::TestDatabase db;
    auto lead = lead_with_contact(db);
    auto id = queue_notice(db, lead, "level1", "{a.schmidt@autohaus-mueller.example}",
                           "<leadrouter.event.44@dein.auto>");
    CHECK(leadd_once(db, config_for("127.0.0.1:" + std::to_string(closed_port))) == 0);
    auto state = row_state(db, id);
    CHECK(state.rfind("queued|1|", 0) == 0);
    CHECK(state.size() > 9); // the reason is recorded
}

TEST_CASE("send_external_mail: false keeps mail away from addresses outside the dealer",
          "[outbox]") {
    test::FakeSmtpServer smtp;
    test::TestDatabase db;
    auto lead = lead_with_contact(db);
    auto config =
        config_for(smtp.address(), "send_external_mail: true", "send_external_mail: false");
    auto external = queue_notice(db, lead, "reply", "{jana.krueger@example.org}",
                                 "<leadrouter.reply.1@dein.auto>");
    auto mixed = queue_notice(db, lead, "level1",
                              "{a.schmidt@autohaus-mueller.example,jana.krueger@example.org}",
                              "<leadrouter.event.45@dein.auto>");
    CHECK(leadd_once(db, config) == 0);
    CHECK(row_state(db, external) == "suppressed|1|suppressed: send_external_mail is false");
    CHECK(row_state(db, mixed) == "sent|1|");
    auto messages = smtp.accepted();
    REQUIRE(messages.size() == 1);
    CHECK(messages[0].to == std::vector<std::string>{"a.schmidt@autohaus-mueller.example"});
}

TEST_CASE("leadd killed with SIGKILL during 1,000 sends: every mail delivered after the "
          "restart, duplicates only from sends not yet recorded, recognisable by Message-ID",
          "[outbox]") {
    test::FakeSmtpServer smtp;
    test::TestDatabase db;
    auto lead = lead_with_contact(db);
    db.exec("INSERT INTO outbox (dealer_id, lead_id, kind, message_id, mail_from, recipients, "
            "payload, not_before) SELECT 'mueller', $1, 'reminder', '<leadrouter.test.' || g || "
            "'@dein.auto>', 'mueller@dein.auto', ARRAY['a.schmidt@autohaus-mueller.example'], "
            "'{}', now() - interval '1 minute' FROM generate_series(1, 1000) g",
            {std::to_string(lead)});
    auto config = config_for(smtp.address());
    {
        test::ChildProcess daemon(
            {LEADD_BINARY, "--config", config, "--database", db.conninfo(), "--batch-size", "50"},
            "/tmp/leadd-outbox-kill-" + std::to_string(getpid()) + ".log");
        // Killed while it holds leases (not in the moment between two
        // batches, when it holds none).
        REQUIRE(test::eventually(
            [&] {
                return smtp.accepted().size() >= 200 &&
                       db.exec("SELECT count(*) FROM outbox WHERE lease_until > now() AND "
                               "state = 'queued'")
                               .integer(0, 0) > 0;
            },
            60s));
        daemon.signal(SIGKILL);
        daemon.wait(10s);
    }
    auto before = smtp.accepted().size();
    CHECK(before < 1000);
    // Started again (as systemd would): the dead sender's leases are taken
    // back at once, not after their ten minutes.
    CHECK(db.exec("SELECT count(*) FROM outbox WHERE lease_until > now() AND state = 'queued'")
              .integer(0, 0) > 0);
    {
        const auto log = "/tmp/leadd-outbox-restart-" + std::to_string(getpid()) + ".log";
        test::ChildProcess daemon({LEADD_BINARY, "--config", config, "--database", db.conninfo()},
                                  log);
        CHECK(test::eventually(
            [&] {
                return db.exec("SELECT count(*) FROM outbox WHERE state <> 'sent'").integer(0, 0) ==
                       0;
            },
            60s));
        CHECK(test::read_text_file(log).find(
                  "took back the outbox leases of a leadd that is gone") != std::string::npos);
        daemon.signal(SIGTERM);
        CHECK(daemon.wait(10s) == 0);
    }
    auto messages = smtp.accepted();
    std::set<std::string> ids;
    for (const auto& message : messages) {
        auto at = message.data.find("Message-Id: ");
        ids.insert(message.data.substr(at, message.data.find("\r\n", at) - at));
    }
    CHECK(ids.size() == 1000);
    const auto duplicates = messages.size() - ids.size();
    INFO("duplicates: " << duplicates);
    CHECK(duplicates <= 50); // at most the sends in flight when it died
}

TEST_CASE("a lease whose answer the database connection lost is taken back when leadd "
          "reconnects, not after its ten minutes",
          "[outbox][leadd]") {
    // In a failover the lease's commit can reach the database (and the
    // standby) while its answer is lost with the connection: the mails are
    // leased to a leadd that is alive but does not know it holds them.
    test::FakeSmtpServer smtp;
    test::TestDatabase db;
    auto lead = lead_with_contact(db);
    const auto log = "/tmp/leadd-outbox-lost-" + std::to_string(getpid()) + ".log";
    test::ChildProcess daemon(
        {LEADD_BINARY, "--config", config_for(smtp.address()), "--database", db.conninfo()}, log);
    REQUIRE(test::eventually(
        [&] {
            return test::read_text_file(log).find("listening for new leads") != std::string::npos;
        },
        30s));
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    const std::string holder = std::string("leadd@") + host + ":" + std::to_string(daemon.pid());
    const long long id =
        db.exec("INSERT INTO outbox (dealer_id, lead_id, kind, message_id, mail_from, recipients, "
                "payload, not_before, attempts, leased_by, lease_until) VALUES ('mueller', $1, "
                "'reminder', '<leadrouter.test.lost@dein.auto>', 'mueller@dein.auto', "
                "ARRAY['a.schmidt@autohaus-mueller.example'], '{}', now() - interval '1 minute', "
                "1, $2, now() + interval '10 minutes') RETURNING id",
                {std::to_string(lead), holder})
            .integer(0, 0);
    // The connection goes away (a failover, a restart): leadd reconnects.
    db.exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = "
            "current_database() AND pid <> pg_backend_pid()");
    CHECK(test::eventually([&] { return row_state(db, id).rfind("sent|", 0) == 0; }, 30s));
    CHECK(smtp.accepted().size() == 1);
    CHECK(test::read_text_file(log).find("took back outbox leases whose answer the database "
                                         "connection lost") != std::string::npos);
    daemon.signal(SIGTERM);
    CHECK(daemon.wait(10s) == 0);
}
