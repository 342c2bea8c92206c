// leadd as production runs it, under chaos (issue #13): three daemons in
// daemon mode on one database of a private cluster, leads arriving through
// the milter's store function at a steady rate with NOTIFY after each
// commit (and a backlog waiting at start), the minute poll, the timer and
// the outbox live and sending to a real SMTP server (smtp-sink), an
// absence toggled on and off, one daemon SIGKILLed and restarted, and
// PostgreSQL stopped for 30 seconds and started again.
//
// Afterwards: every lead exactly one audit row and one chain, every due
// event fired once, every mail sent once (a duplicate only for a mail that
// was leased twice: sent, then its sender died before recording it),
// rotation shares floor(n/k) or ceil(n/k), nobody given a lead while
// absent, and no transaction warning in the server's log.
#include "pg_cluster.hpp"
#include "process.hpp"
#include "run_outcome.hpp"
#include "sink_message.hpp"
#include "smtp_sink.hpp"
#include "store/inbound_store.hpp"
#include "test_database.hpp"
#include "working_zone.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

using namespace lr;
using namespace std::chrono_literals;

namespace {

constexpr int backlog_leads = 300; // waiting before the daemons start
constexpr int steady_leads = 300;  // then one every 100 ms
constexpr int clock_offset = 150;  // the daemons run 150 s ahead: events come due within the run

std::string log_path(const std::string& name) {
    auto path = std::filesystem::temp_directory_path() /
                ("leadd-chaos-" + std::to_string(getpid()) + "-" + name + ".log");
    std::filesystem::remove(path);
    return path.string();
}

std::string dealer_yaml(const std::string& id, const std::string& zone,
                        const std::vector<std::string>& receivers) {
    std::string out = "  - id: " + id + "\n    timezone: \"" + zone +
                      "\"\n    locations:\n      - id: main\n        mailbox: " + id +
                      "@dein.auto\n";
    out += test::round_the_clock_hours("    ");
    out += "    escalation: {level1: 2m, reminder: 1m, level2: 1m, level2_resubmission: 1h}\n"
           "    admin_user: admin\n    fallback_user: admin\n    users:\n";
    for (const auto& user : receivers)
        out += "      - {id: " + user + ", email: " + user + "@" + id +
               ".example, receives_leads: true, assignable: true, supervisor: admin}\n";
    out += "      - {id: admin, email: admin@" + id +
           ".example, receives_leads: false, assignable: true}\n";
    return out;
}

std::string write_config(const std::string& conninfo, const std::string& smtp) {
    const std::string zone = test::working_zone();
    std::string text = "system:\n  database: \"" + conninfo + "\"\n  smtp:\n    server: \"" + smtp +
                       "\"\n  automanager_url: \"https://automanager.example/leads/\"\n"
                       "dealers:\n" +
                       dealer_yaml("rund", zone, {"r1", "r2", "r3"}) +
                       dealer_yaml("wechsel", zone, {"w1", "w2", "w3"});
    auto path = std::filesystem::path(log_path("config")).replace_extension(".yaml").string();
    std::ofstream(path) << text;
    return path;
}

// The milter's part, as a sending MTA sees it: store the lead (contact,
// lead and message in one statement, deduplicated by Message-ID), then wake
// leadd; a failure (the database is away) is a 451, and the same message
// comes again a little later until it is stored.
class LeadSource {
public:
    explicit LeadSource(std::string conninfo) : m_conninfo(std::move(conninfo)) {}

    void deliver(int number) {
        const std::string dealer = number % 2 ? "rund" : "wechsel";
        store::InboundMessage message;
        message.dealer_id = dealer;
        message.location_id = "main";
        message.queue_id = "Q" + std::to_string(number);
        message.message_id = "<chaos." + std::to_string(number) + "@example.org>";
        message.envelope_from = "kunde" + std::to_string(number) + "@example.org";
        message.recipients = {dealer + "@dein.auto"};
        message.raw = "Subject: Anfrage\r\n\r\nGuten Tag\r\n";
        message.classification_json = "{}";
        store::NewLead lead;
        lead.kind = "lead";
        lead.source = "email";
        lead.email = message.envelope_from;
        lead.vehicle_json = "{}";
        lead.trade_in_json = "null";
        lead.message = "Guten Tag";
        for (;;) {
            message.received_at = std::chrono::time_point_cast<std::chrono::seconds>(
                std::chrono::system_clock::now());
            if (!m_connection) {
                auto opened = store::Connection::open(m_conninfo);
                if (opened)
                    m_connection.emplace(std::move(opened).value());
            }
            if (m_connection) {
                auto stored = store::store_new_lead(*m_connection, message, lead);
                if (stored) {
                    (void)m_connection->exec("NOTIFY leadrouter_new_lead");
                    return;
                }
                m_connection.reset();
                ++m_retries;
            }
            std::this_thread::sleep_for(200ms);
        }
    }
    int retries() const { return m_retries; }

private:
    std::string m_conninfo;
    std::optional<store::Connection> m_connection;
    int m_retries = 0;
};

// w3 of dealer wechsel is absent, then back, then absent … Absences start
// and end 2 s after they are written (daemon time), so no batch can decide
// on a snapshot that does not show them yet.
void toggle_absence(const std::string& conninfo, const std::atomic<bool>& done) {
    bool absent = false;
    while (!done) {
        std::this_thread::sleep_for(1500ms);
        auto connection = store::Connection::open(conninfo);
        if (!connection)
            continue; // the database is away: try at the next turn
        const std::string at =
            "now() + make_interval(secs => " + std::to_string(clock_offset + 2) + ")";
        auto changed =
            absent ? connection->exec("UPDATE absences SET ends_at = " + at +
                                      " WHERE dealer_id = 'wechsel' AND user_id = 'w3' AND "
                                      "ends_at > " +
                                      at)
                   : connection->exec("INSERT INTO absences (dealer_id, user_id, starts_at, "
                                      "ends_at) VALUES ('wechsel', 'w3', " +
                                      at + ", " + at + " + interval '1 day')");
        if (changed)
            absent = !absent;
    }
}

std::vector<std::string> leadd(const std::string& config, const std::string& conninfo) {
    return {LEADD_BINARY, "--config",       config,
            "--database", conninfo,         "--batch-size",
            "5",          "--clock-offset", std::to_string(clock_offset)};
}

} // namespace

TEST_CASE("chaos: three daemons in daemon mode, leads arriving with NOTIFY, a daemon SIGKILLed, "
          "PostgreSQL stopped for 30 s: every lead, chain, event and mail exactly once",
          "[leadd][chaos]") {
    auto cluster = test::PgCluster::start();
    const std::string conninfo = cluster.create_migrated_database("chaos");
    test::SmtpSink sink;
    const std::string config = write_config(conninfo, sink.address());

    LeadSource source(conninfo);
    for (int number = 1; number <= backlog_leads; ++number)
        source.deliver(number);

    std::vector<std::unique_ptr<test::ChildProcess>> daemons;
    for (int i = 0; i < 3; ++i)
        daemons.push_back(std::make_unique<test::ChildProcess>(
            leadd(config, conninfo), log_path("daemon" + std::to_string(i))));

    std::atomic<bool> arriving_done{false};
    std::thread arrivals([&] {
        for (int number = backlog_leads + 1; number <= backlog_leads + steady_leads; ++number) {
            source.deliver(number);
            std::this_thread::sleep_for(100ms);
        }
        arriving_done = true;
    });
    std::thread absences([&] { toggle_absence(conninfo, arriving_done); });

    // A daemon killed in the middle of its work, and started again.
    std::this_thread::sleep_for(6s);
    daemons[1]->signal(SIGKILL);
    CHECK(daemons[1]->wait(10s) == 128 + SIGKILL);
    daemons[1] = std::make_unique<test::ChildProcess>(leadd(config, conninfo),
                                                      log_path("daemon1-restarted"));
    // The database away for 30 s while leads keep coming (and waiting).
    std::this_thread::sleep_for(6s);
    cluster.pause();
    std::this_thread::sleep_for(30s);
    cluster.resume();

    arrivals.join();
    absences.join();
    const long long leads = backlog_leads + steady_leads;

    // Settled: every lead assigned, every event whose time has come fired
    // (the last lead's level 2 is due 180 s after receipt, 30 s after it
    // on the daemons' clock), every queued mail sent.
    auto settled = [&] {
        return test::count_at(conninfo, "SELECT count(*) FROM leads WHERE state = 'new'") == 0 &&
               test::count_at(conninfo,
                              "SELECT count(*) FROM scheduled_events WHERE state = 'pending'") ==
                   0 &&
               test::count_at(conninfo, "SELECT count(*) FROM outbox WHERE state = 'queued'") == 0;
    };
    CHECK(test::eventually(settled, 150s));
    for (auto& daemon : daemons)
        CHECK(daemon->running());

    const auto outcome = test::lead_outcome(conninfo);
    CHECK(outcome.leads == leads);
    CHECK(outcome.assigned == leads);
    // One audit row per lead: no second decision.
    CHECK(outcome.assignments == leads);
    CHECK(outcome.leads_with_assignment == leads);
    // One chain per lead, one event of each kind in it.
    CHECK(outcome.doubled_events == 0);
    CHECK(test::count_at(conninfo, "SELECT count(*) FROM scheduled_events") == 4 * leads);
    CHECK(outcome.events_not_done == 0);
    // One mail per fired event, each sent.
    CHECK(test::count_at(conninfo, "SELECT count(*) FROM outbox") == 4 * leads);
    CHECK(test::count_at(conninfo, "SELECT count(*) FROM outbox WHERE state <> 'sent'") == 0);

    // What the SMTP server received: each mail once, but for a mail that
    // was leased twice (sent, its sender killed before it recorded that).
    const auto delivery = test::compare_outbox(conninfo, sink.messages());
    CHECK(delivery.missing == 0);
    CHECK(delivery.doubled_unexplained == 0);
    CHECK(delivery.doubled <= 16); // at most what one killed sender had in flight
    CHECK(delivery.distinct_received == static_cast<size_t>(4 * leads));

    // Every notice to one user carried that user's reply address for the
    // lead (issue #14), the same in each of the lead's mails to that user
    // and in a resend; a notice to several users carried none.
    std::map<std::string, std::string> reply_to;
    for (const auto& message : sink.messages())
        reply_to[test::header_of(message, "Message-ID")] = test::header_of(message, "Reply-To");
    auto expected = test::query_at(
        conninfo, "SELECT o.message_id, coalesce((SELECT k.token FROM reply_keys k WHERE "
                  "k.lead_id = o.lead_id AND k.user_id = o.payload->'users'->>0 AND "
                  "jsonb_array_length(o.payload->'users') = 1), '') FROM outbox o");
    int with_key = 0, wrong_reply_to = 0;
    for (int i = 0; i < expected.size(); ++i) {
        const std::string token = expected.text(i, 1);
        const std::string& header = reply_to[expected.text(i, 0)];
        with_key += !token.empty();
        wrong_reply_to +=
            token.empty() ? !header.empty() : header.find("+r" + token + "@") == std::string::npos;
    }
    CHECK(with_key > 0);
    CHECK(wrong_reply_to == 0);
    CHECK(test::count_at(conninfo, "SELECT count(*) FROM reply_keys") ==
          test::count_at(conninfo,
                         "SELECT count(DISTINCT (lead_id, payload->'users'->>0)) FROM outbox "
                         "WHERE jsonb_array_length(payload->'users') = 1"));

    // Rotation: dealer rund's three users, no absences: floor or ceil.
    auto shares =
        test::query_at(conninfo, "SELECT assignee, count(*) FROM leads WHERE dealer_id = 'rund' "
                                 "GROUP BY assignee ORDER BY assignee");
    REQUIRE(shares.size() == 3);
    const long long rund = leads / 2;
    for (int i = 0; i < shares.size(); ++i) {
        INFO(shares.text(i, 0) << " got " << shares.integer(i, 1));
        CHECK(shares.integer(i, 1) >= rund / 3);
        CHECK(shares.integer(i, 1) <= (rund + 2) / 3);
    }
    // Dealer wechsel: w3 got nothing while absent, and something otherwise.
    CHECK(test::count_at(conninfo, "SELECT count(*) FROM absences") >= 2);
    CHECK(test::count_at(conninfo,
                         "SELECT count(*) FROM assignments a WHERE a.dealer_id = 'wechsel' AND "
                         "a.user_id = 'w3' AND EXISTS (SELECT 1 FROM absences b WHERE "
                         "b.user_id = 'w3' AND b.starts_at <= a.assigned_at AND "
                         "b.ends_at > a.assigned_at)") == 0);
    CHECK(test::count_at(conninfo, "SELECT count(*) FROM leads WHERE assignee = 'w3'") > 0);

    // The milter's retries while the database was away are stored once.
    CHECK(source.retries() > 0);
    CHECK(test::count_at(conninfo, "SELECT count(DISTINCT message_id) FROM messages") == leads);

    // No transaction warnings: nothing ran inside another's transaction.
    const auto server_log = test::read_text_file(cluster.dir() + "/server.log");
    CHECK(server_log.find("there is already a transaction in progress") == std::string::npos);
    CHECK(server_log.find("there is no transaction in progress") == std::string::npos);

    for (auto& daemon : daemons) {
        daemon->signal(SIGTERM);
        CHECK(daemon->wait(20s) == 0);
    }
}
