// leadd as a process against the real PostgreSQL: LISTEN/NOTIFY, two
// daemons on one database, SIGKILL in the middle of a batch.
#include "lead_seed.hpp"
#include "process.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <map>

using namespace lr;
using namespace std::chrono_literals;

namespace {

const std::string example = std::string(LEADROUTER_SPEC_DIR) + "/config-example.yaml";

std::string log_path(const std::string& name) {
    auto path = std::filesystem::temp_directory_path() /
                ("leadd-test-" + std::to_string(getpid()) + "-" + name + ".log");
    std::filesystem::remove(path);
    return path.string();
}

std::vector<std::string> leadd(const test::TestDatabase& db, std::vector<std::string> extra) {
    std::vector<std::string> argv = {LEADD_BINARY, "--config", example, "--database",
                                     db.conninfo()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
}

long long count(const test::TestDatabase& db, const std::string& sql) {
    return db.exec(sql).integer(0, 0);
}

// Leads per assignee among the leads with id in [from, to].
std::map<std::string, long long> shares(const test::TestDatabase& db, long long from,
                                        long long to) {
    auto rows = db.exec("SELECT assignee, count(*) FROM leads WHERE id BETWEEN $1 AND $2 "
                        "GROUP BY assignee",
                        {std::to_string(from), std::to_string(to)});
    std::map<std::string, long long> out;
    for (int i = 0; i < rows.size(); ++i)
        out[rows.text(i, 0)] = rows.integer(i, 1);
    return out;
}

// Small batches keep both daemons busy at the same time.
void run_two_daemons(const test::TestDatabase& db, const std::string& tag) {
    test::ChildProcess one(leadd(db, {"--once", "--batch-size", "3"}), log_path(tag + "-1"));
    test::ChildProcess two(leadd(db, {"--once", "--batch-size", "3"}), log_path(tag + "-2"));
    CHECK(one.wait(60s) == 0);
    CHECK(two.wait(60s) == 0);
}

} // namespace

TEST_CASE("leadd --once assigns every waiting lead and exits 0", "[leadd]") {
    test::TestDatabase db;
    test::add_leads_bulk(db, "mueller", 30);
    auto log = log_path("once");
    CHECK(test::run_program(leadd(db, {"--once"}), log) == 0);
    CHECK(count(db, "SELECT count(*) FROM leads WHERE state = 'assigned'") == 30);
    auto text = test::read_text_file(log);
    CHECK(text.find("leadd: lead assigned LEAD_ID=1 DEALER=mueller USER=schmidt RULE=rotation") !=
          std::string::npos);
}

TEST_CASE("a NOTIFY wakes a running leadd, SIGTERM stops it with exit 0", "[leadd]") {
    test::TestDatabase db;
    auto log = log_path("notify");
    test::ChildProcess daemon(leadd(db, {}), log);
    REQUIRE(test::eventually(
        [&] {
            return test::read_text_file(log).find("listening for new leads") != std::string::npos;
        },
        10s));
    auto lead = test::add_lead(db, {.email = "wach@example.org"});
    db.exec("NOTIFY leadrouter_new_lead");
    CHECK(test::eventually(
        [&] {
            return db.exec("SELECT state FROM leads WHERE id = $1", {std::to_string(lead)})
                       .text(0, 0) == "assigned";
        },
        10s));
    daemon.signal(SIGTERM);
    CHECK(daemon.wait(10s) == 0);
}

TEST_CASE("two daemons on one database, 1,000 leads, absences toggled between phases: "
          "every lead once, every share floor(n/k) or ceil(n/k)",
          "[leadd]") {
    test::TestDatabase db;
    // Phase 1: three receivers, 300 leads.
    test::add_leads_bulk(db, "mueller", 300);
    run_two_daemons(db, "phase1");
    CHECK(shares(db, 1, 300) ==
          std::map<std::string, long long>{{"schmidt", 100}, {"weber", 100}, {"yilmaz", 100}});

    // Phase 2: weber absent, 601 leads between two users.
    db.exec("INSERT INTO absences (dealer_id, user_id, starts_at, ends_at) VALUES "
            "('mueller', 'weber', now() - interval '1 minute', now() + interval '1 day')");
    test::add_leads_bulk(db, "mueller", 601);
    run_two_daemons(db, "phase2");
    auto phase2 = shares(db, 301, 901);
    CHECK(phase2.count("weber") == 0);
    CHECK(phase2["schmidt"] + phase2["yilmaz"] == 601);
    CHECK(std::abs(phase2["schmidt"] - phase2["yilmaz"]) <= 1);
    // Both daemons took part.
    CHECK(count(db, "SELECT count(DISTINCT actor) FROM assignments a JOIN leads l ON "
                    "l.id = a.lead_id WHERE l.id BETWEEN 301 AND 901") == 2);

    // Phase 3: weber back, 99 leads between three users.
    db.exec("DELETE FROM absences");
    test::add_leads_bulk(db, "mueller", 99);
    run_two_daemons(db, "phase3");
    CHECK(shares(db, 902, 1000) ==
          std::map<std::string, long long>{{"schmidt", 33}, {"weber", 33}, {"yilmaz", 33}});

    CHECK(count(db, "SELECT count(*) FROM leads WHERE state <> 'assigned'") == 0);
    CHECK(count(db, "SELECT count(*) FROM assignments") == 1000);
    CHECK(count(db, "SELECT count(DISTINCT lead_id) FROM assignments") == 1000);
}

TEST_CASE("leadd killed with SIGKILL mid-batch and restarted: every lead assigned exactly once",
          "[leadd]") {
    test::TestDatabase db;
    test::add_leads_bulk(db, "mueller", 3000);
    {
        test::ChildProcess daemon(leadd(db, {"--batch-size", "7"}), log_path("kill"));
        REQUIRE(test::eventually(
            [&] { return count(db, "SELECT count(*) FROM assignments") >= 200; }, 30s));
        daemon.signal(SIGKILL);
        CHECK(daemon.wait(10s) == 128 + SIGKILL);
    }
    auto before = count(db, "SELECT count(*) FROM assignments");
    CHECK(before < 3000);
    CHECK(test::run_program(leadd(db, {"--once"}), log_path("restart")) == 0);
    CHECK(count(db, "SELECT count(*) FROM leads WHERE state <> 'assigned'") == 0);
    CHECK(count(db, "SELECT count(*) FROM assignments") == 3000);
    CHECK(count(db, "SELECT count(DISTINCT lead_id) FROM assignments") == 3000);
    // No rotation slot was lost with the killed transaction.
    CHECK(shares(db, 1, 3000) ==
          std::map<std::string, long long>{{"schmidt", 1000}, {"weber", 1000}, {"yilmaz", 1000}});
}

TEST_CASE("leadd with an unreachable database and --once exits 1 with the reason", "[leadd]") {
    auto log = log_path("nodb");
    CHECK(test::run_program({LEADD_BINARY, "--config", example, "--database",
                             "host=/nonexistent dbname=x", "--once"},
                            log) == 1);
    CHECK(test::read_text_file(log).find("leadd: error: database: cannot connect (") !=
          std::string::npos);
}

TEST_CASE("leadd refuses a broken configuration with the positions of the errors", "[leadd]") {
    auto log = log_path("badconf");
    auto broken = test::fixture_path("config/broken/bad-duration.yaml");
    CHECK(test::run_program({LEADD_BINARY, "--config", broken, "--check-config"}, log) == 1);
    CHECK(test::read_text_file(log).find(
              "bad-duration.yaml:14:15: error: dealers[d1].escalation.level1:") !=
          std::string::npos);
}

TEST_CASE("a host whose clock is an hour fast fires events and leases mails on the database's "
          "clock",
          "[leadd][clock]") {
    test::TestDatabase db;
    auto lead = test::add_lead(
        db, {.email = "uhr@example.org", .state = "assigned", .assignee = "schmidt"});
    auto event = [&](const std::string& send_at) {
        return db
            .exec("INSERT INTO scheduled_events (lead_id, kind, chain, anchor_at, due_at, "
                  "send_at, addressee) VALUES ($1, 'reminder', $2, now(), " +
                      send_at + ", " + send_at + ", 'schmidt') RETURNING id",
                  {std::to_string(lead), std::to_string(db.exec("SELECT count(*) FROM "
                                                                "scheduled_events")
                                                            .integer(0, 0))})
            .integer(0, 0);
    };
    const auto due = event("now() - interval '1 minute'");
    const auto later = event("now() + interval '20 minutes'"); // due on the fast clock
    // Leased by another daemon for five more minutes (database time).
    db.exec("INSERT INTO outbox (dealer_id, lead_id, kind, message_id, mail_from, recipients, "
            "payload, not_before, lease_until, attempts) VALUES ('mueller', $1, 'level1', "
            "'<leadrouter.event.777@dein.auto>', 'mueller@dein.auto', "
            "ARRAY['a.schmidt@autohaus-mueller.example'], '{}', now() - interval '1 minute', "
            "now() + interval '5 minutes', 1)",
            {std::to_string(lead)});
    auto log = log_path("clock");
    test::ChildProcess daemon(leadd(db, {"--local-clock-error", "3600"}), log);
    auto state = [&](long long id) {
        return db.exec("SELECT state FROM scheduled_events WHERE id = $1", {std::to_string(id)})
            .text(0, 0);
    };
    REQUIRE(test::eventually([&] { return state(due) == "done"; }, 20s));
    // A pass that fired the due event and looked at the outbox is over:
    // the later one is still pending, the leased mail untouched.
    daemon.signal(SIGTERM);
    CHECK(daemon.wait(10s) == 0);
    CHECK(state(later) == "pending");
    CHECK(count(db, "SELECT attempts FROM outbox WHERE message_id = "
                    "'<leadrouter.event.777@dein.auto>'") == 1);
    CHECK(test::read_text_file(log).find("this host's clock differs from the database's") !=
          std::string::npos);
}
