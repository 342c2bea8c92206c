// Issue #16, metrics: the production processes in daemon mode (leadmilter
// behind a private Postfix, leadd sending to smtp-sink, leadweb), each
// serving its metrics on loopback. A scripted day of mail (leads, a
// sender's retry), leadd three hours ahead so the reminders and level-1
// escalations fire; then every metric is compared with what the database
// says happened.
#include "example_config.hpp"
#include "http_client.hpp"
#include "lead_seed.hpp"
#include "milter_process.hpp"
#include "postfix_instance.hpp"
#include "process.hpp"
#include "smtp_client.hpp"
#include "smtp_sink.hpp"
#include "test_database.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>

using namespace lr;
using namespace std::chrono_literals;

namespace {

// The value of one series ("name" or "name{labels}") in a scrape, or -1.
double series_value(const std::string& scrape, const std::string& series) {
    const std::string start = "\n" + series + " ";
    const auto at = ("\n" + scrape).find(start);
    if (at == std::string::npos)
        return -1;
    return std::stod(scrape.substr(at + start.size() - 1));
}

double database_number(const test::TestDatabase& db, const std::string& sql) {
    return std::stod(db.exec(sql).text(0, 0));
}

} // namespace

TEST_CASE("metrics: after a scripted day of mail, the milter's, leadd's and leadweb's metrics "
          "match the database",
          "[e2e][postfix][leadd][leadweb][metrics]") {
    test::TestDatabase db;
    test::SmtpSink sink;
    const std::string secret = test::web_secret_in("metrics-e2e", db.name());
    const std::filesystem::path dir = std::filesystem::path(secret).parent_path();
    const int web_port = test::free_loopback_port();
    const int milter_metrics = test::free_loopback_port();
    const int leadd_metrics = test::free_loopback_port();
    const int web_metrics = test::free_loopback_port();
    const std::string public_url = "http://127.0.0.1:" + std::to_string(web_port);
    auto at = [](int port) { return "127.0.0.1:" + std::to_string(port); };

    auto replacements = test::round_the_clock();
    replacements.push_back(test::smtp_at(sink.address()).front());
    replacements.push_back(test::web_at(public_url, secret));
    replacements.push_back({"  automanager_url:", "  metrics:\n    milter: \"" +
                                                      at(milter_metrics) + "\"\n    leadd: \"" +
                                                      at(leadd_metrics) + "\"\n    leadweb: \"" +
                                                      at(web_metrics) + "\"\n  automanager_url:"});
    const std::string config = test::write_example_config(replacements);

    const int milter_port = test::free_loopback_port();
    test::MilterProcess milter(LEADMILTER_BINARY, config, db.conninfo(),
                               "inet:" + std::to_string(milter_port) + "@127.0.0.1");
    test::PostfixInstance mx(
        {"mx", sink.address(), "inet:127.0.0.1:" + std::to_string(milter_port), {}});
    test::ChildProcess leadd(
        {LEADD_BINARY, "--config", config, "--database", db.conninfo(), "--clock-offset", "10800"},
        (dir / "leadd.log").string());
    test::ChildProcess leadweb(
        {LEADWEB_BINARY, "--config", config, "--database", db.conninfo(), "--listen", at(web_port)},
        (dir / "leadweb.log").string());
    auto scrape = [&](int port) { return test::http("GET", "http://" + at(port) + "/metrics"); };
    REQUIRE(test::eventually([&] { return scrape(web_metrics).status == 200; }, 20s));
    REQUIRE(test::eventually([&] { return scrape(leadd_metrics).status == 200; }, 20s));
    REQUIRE(test::eventually([&] { return scrape(milter_metrics).status == 200; }, 20s));
    CHECK(scrape(web_metrics).headers["content-type"].rfind("text/plain; version=0.0.4", 0) == 0);
    CHECK(test::http("GET", "http://" + at(web_metrics) + "/other").status == 404);

    // The day: three customers write; the first one's mail comes twice
    // (its sender retried after a lost answer).
    for (const char* tag : {"anna", "bernd", "carla", "anna"})
        REQUIRE(test::send_mail(mx.smtp_port(), std::string("kunde.") + tag + "@example.org",
                                {"mueller@dein.auto"}, test::customer_mail(tag))
                    .ok());
    // leadd is three hours ahead: notices, reminders and level-1
    // escalations fire and go out.
    REQUIRE(test::eventually(
        [&] {
            return database_number(db, "SELECT count(*) FROM leads WHERE state = 'new'") == 0 &&
                   database_number(db, "SELECT count(*) FROM leads") == 3 &&
                   database_number(db, "SELECT count(*) FROM scheduled_events WHERE state = "
                                       "'pending' AND kind IN ('assignment_notice', 'reminder', "
                                       "'level1')") == 0 &&
                   database_number(db, "SELECT count(*) FROM outbox WHERE state = 'queued'") == 0;
        },
        90s));

    const std::string from_milter = scrape(milter_metrics).body;
    INFO(from_milter);
    CHECK(
        series_value(from_milter, "leadrouter_milter_messages_total{class=\"lead\",reason=\"\"}") ==
        database_number(db, "SELECT count(*) FROM messages WHERE kind = 'lead'"));
    CHECK(series_value(from_milter,
                       "leadrouter_milter_messages_total{class=\"lead\",reason=\"\"}") == 3);
    CHECK(series_value(from_milter, "leadrouter_milter_duplicates_total") == 1);
    CHECK(series_value(from_milter, "leadrouter_milter_message_duration_seconds_count") == 4);
    CHECK(series_value(from_milter, "leadrouter_milter_tempfails_total{cause=\"database\"}") == 0);

    std::string from_leadd;
    // The last send's count lands just after its outbox row: look again
    // until the two agree or the time is up.
    test::eventually(
        [&] {
            from_leadd = scrape(leadd_metrics).body;
            return series_value(from_leadd, "leadrouter_leadd_sends_total{outcome=\"sent\"}") ==
                   database_number(db, "SELECT count(*) FROM outbox WHERE state = 'sent'");
        },
        20s);
    INFO(from_leadd);
    CHECK(series_value(from_leadd, "leadrouter_leadd_sends_total{outcome=\"sent\"}") ==
          database_number(db, "SELECT count(*) FROM outbox WHERE state = 'sent'"));
    CHECK(series_value(from_leadd, "leadrouter_leadd_assignment_latency_seconds_count") == 3);
    for (const char* kind : {"assignment_notice", "reminder", "level1"}) {
        INFO(kind);
        const double fired = database_number(
            db, std::string("SELECT count(*) FROM scheduled_events WHERE state = 'done' AND "
                            "kind = '") +
                    kind + "'");
        CHECK(fired == 3);
        CHECK(series_value(from_leadd, std::string("leadrouter_leadd_events_fired_total{kind=\"") +
                                           kind + "\"}") == fired);
    }
    CHECK(series_value(from_leadd, "leadrouter_database_reconnects_total") == 0);

    const std::string from_web = scrape(web_metrics).body;
    INFO(from_web);
    CHECK(series_value(from_web, "leadrouter_database_up") == 1);
    CHECK(series_value(from_web, "leadrouter_leads_waiting_for_assignment") == 0);
    CHECK(series_value(from_web, "leadrouter_outbox_backlog") ==
          database_number(db, "SELECT count(*) FROM outbox WHERE state = 'queued'"));
    CHECK(series_value(from_web, "leadrouter_overdue_leads{level=\"1\"}") ==
          database_number(db, "SELECT count(DISTINCT e.lead_id) FROM scheduled_events e JOIN "
                              "leads l ON l.id = e.lead_id WHERE l.state IN ('new', 'assigned') "
                              "AND e.state <> 'cancelled' AND e.kind = 'level1' AND e.due_at <= "
                              "now()"));

    // A lead that waits: leadweb's gauges see it at the next scrape.
    test::add_lead(db, {.dealer = "unconfigured", .email = "wartet@example.org"});
    const std::string later = scrape(web_metrics).body;
    CHECK(series_value(later, "leadrouter_leads_waiting_for_assignment") == 1);
    CHECK(series_value(later, "leadrouter_oldest_waiting_lead_age_seconds") >= 0);
    std::filesystem::remove_all(dir);
}
