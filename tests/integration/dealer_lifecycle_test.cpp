// A dealer that disappears from the configuration (file deleted, renamed,
// broken) loses nothing (issue #13): its new leads wait, its events stay
// pending, its queued mails stay queued, leadd says so at each reload, and
// everything resumes when the dealer is configured again. Retiring it is
// an explicit act. A reload while the database is away recomputes when it
// is back.
#include "example_config.hpp"
#include "fake_smtp.hpp"
#include "lead_seed.hpp"
#include "leadctl_run.hpp"
#include "pg_cluster.hpp"
#include "process.hpp"
#include "store/migrations.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>

using namespace lr;
using namespace std::chrono_literals;

namespace {

std::string temp_file(const std::string& name) {
    auto path = std::filesystem::temp_directory_path() /
                ("leadrouter-dealer-" + std::to_string(getpid()) + "-" + name);
    std::filesystem::remove(path);
    return path.string();
}

// The example, with dealer mueller renamed: mueller is no longer configured.
test::Replacements without_mueller(const std::string& smtp) {
    auto replacements = test::smtp_at(smtp);
    replacements.emplace_back("id: mueller", "id: mueller-neu");
    return replacements;
}

struct Seeded {
    long long new_lead, open_lead, event, mail;
};

// Work of dealer mueller in every table leadd takes work from, all due now.
Seeded seed_mueller(const test::TestDatabase& db) {
    Seeded seeded{};
    seeded.new_lead = test::add_lead(db, {.email = "wartet@example.org"});
    seeded.open_lead = test::add_lead(
        db, {.email = "offen@example.org", .state = "assigned", .assignee = "schmidt"});
    seeded.event =
        db.exec("INSERT INTO scheduled_events (lead_id, kind, anchor_at, due_at, send_at, "
                "addressee) VALUES ($1, 'reminder', now(), now(), now() - interval '1 minute', "
                "'schmidt') RETURNING id",
                {std::to_string(seeded.open_lead)})
            .integer(0, 0);
    seeded.mail = db.exec("INSERT INTO outbox (dealer_id, lead_id, kind, message_id, mail_from, "
                          "recipients, payload, not_before) VALUES ('mueller', $1, 'level1', "
                          "'<leadrouter.event.9001@dein.auto>', 'mueller@dein.auto', "
                          "ARRAY['a.schmidt@autohaus-mueller.example'], '{}', "
                          "now() - interval '1 minute') RETURNING id",
                          {std::to_string(seeded.open_lead)})
                      .integer(0, 0);
    return seeded;
}

std::string state_of(const test::TestDatabase& db, const std::string& table, long long id) {
    return db.exec("SELECT state FROM " + table + " WHERE id = $1", {std::to_string(id)})
        .text(0, 0);
}

} // namespace

TEST_CASE("a dealer missing after a reload keeps its leads, events and mails until it is "
          "configured again",
          "[leadd][reload]") {
    test::FakeSmtpServer smtp;
    test::TestDatabase db;
    const std::string config = temp_file("config.yaml");
    std::ofstream(config) << test::example_config_text(without_mueller(smtp.address()));
    const std::string log = temp_file("leadd.log");
    test::ChildProcess daemon({LEADD_BINARY, "--config", config, "--database", db.conninfo()}, log);
    REQUIRE(test::eventually(
        [&] { return test::read_text_file(log).find("listening") != std::string::npos; }, 10s));

    auto seeded = seed_mueller(db);
    db.exec("NOTIFY leadrouter_new_lead");
    db.exec("NOTIFY leadrouter_schedule");
    db.exec("NOTIFY leadrouter_outbox");
    daemon.signal(SIGHUP); // a reload that still lacks the dealer
    CHECK(test::eventually(
        [&] {
            return test::read_text_file(log).find("dealer is not configured") != std::string::npos;
        },
        10s));
    CHECK(test::read_text_file(log).find("DEALER=mueller NEW_LEADS=1 OPEN_LEADS=1 "
                                         "PENDING_EVENTS=1 QUEUED_MAILS=1") != std::string::npos);
    // Untouched: not assigned, not cancelled, not failed.
    CHECK(state_of(db, "leads", seeded.new_lead) == "new");
    CHECK(state_of(db, "scheduled_events", seeded.event) == "pending");
    CHECK(state_of(db, "outbox", seeded.mail) == "queued");
    CHECK(smtp.data_attempts() == 0);

    // The dealer is back: everything it had goes on.
    std::ofstream(config) << test::example_config_text(test::smtp_at(smtp.address()));
    daemon.signal(SIGHUP);
    CHECK(test::eventually(
        [&] {
            return state_of(db, "leads", seeded.new_lead) == "assigned" &&
                   state_of(db, "scheduled_events", seeded.event) == "done" &&
                   state_of(db, "outbox", seeded.mail) == "sent";
        },
        20s));
    daemon.signal(SIGTERM);
    CHECK(daemon.wait(10s) == 0);
}

TEST_CASE("leadctl dealer retire says what it will do, does it only with --yes, and refuses a "
          "configured dealer",
          "[leadctl][reload]") {
    test::TestDatabase db;
    auto seeded = seed_mueller(db);
    const auto gone = test::write_example_config(without_mueller("127.0.0.1:25"));
    const auto present = test::write_example_config();

    auto refused = test::run_leadctl(
        {"dealer", "retire", "mueller", "--config", present, "--database", db.conninfo()});
    CHECK(refused.rc == 1);
    CHECK(refused.err.find("dealer mueller is still configured in") != std::string::npos);

    auto plan = test::run_leadctl(
        {"dealer", "retire", "mueller", "--config", gone, "--database", db.conninfo()});
    CHECK(plan.rc == 0);
    CHECK(plan.out == "retiring dealer mueller will:\n"
                      "  close 1 new lead(s) that were never assigned\n"
                      "  cancel 1 pending reminder(s), escalation(s) and notice(s)\n"
                      "  fail 1 queued mail(s) (last error: dealer retired)\n"
                      "and keep its 1 assigned lead(s), messages and audit trail as history.\n"
                      "Nothing was changed; run again with --yes to retire it.\n");
    CHECK(state_of(db, "leads", seeded.new_lead) == "new");

    auto done = test::run_leadctl(
        {"dealer", "retire", "mueller", "--yes", "--config", gone, "--database", db.conninfo()});
    CHECK(done.rc == 0);
    CHECK(done.out == "dealer mueller retired:\n"
                      "closed 1 new lead(s) that were never assigned\n"
                      "cancelled 1 pending reminder(s), escalation(s) and notice(s)\n"
                      "failed 1 queued mail(s) (last error: dealer retired)\n");
    CHECK(state_of(db, "leads", seeded.new_lead) == "closed");
    CHECK(state_of(db, "leads", seeded.open_lead) == "assigned");
    CHECK(state_of(db, "scheduled_events", seeded.event) == "cancelled");
    CHECK(state_of(db, "outbox", seeded.mail) == "failed");
    CHECK(test::run_leadctl({"dealer", "--help"}).out.find("retire DEALER [--yes]") !=
          std::string::npos);
}

TEST_CASE("a reload while the database is away recomputes the pending events when it is back",
          "[leadd][reload]") {
    auto cluster = test::PgCluster::start();
    {
        auto admin = store::Connection::open(cluster.conninfo("postgres"));
        REQUIRE(admin);
        REQUIRE(admin->exec("CREATE DATABASE recompute"));
    }
    const std::string conninfo = cluster.conninfo("recompute");
    auto connect = [&] {
        auto connection = store::Connection::open(conninfo);
        REQUIRE(connection);
        return std::move(connection).value();
    };
    {
        auto connection = connect();
        REQUIRE(store::migrate(connection));
        REQUIRE(connection.exec(
            "WITH c AS (INSERT INTO contacts (dealer_id, email) VALUES ('mueller', "
            "'spaeter@example.org') RETURNING id) INSERT INTO leads (dealer_id, location_id, "
            "kind, source, contact_id, token, received_at) SELECT 'mueller', 'hamburg', 'lead', "
            "'email', id, 'tok-recompute', now() FROM c"));
    }
    const std::string config = temp_file("recompute.yaml");
    std::ofstream(config) << test::example_config_text();
    const std::string log = temp_file("recompute.log");
    test::ChildProcess daemon({LEADD_BINARY, "--config", config, "--database", conninfo}, log);
    auto level1_due = [&] {
        auto rows = connect().exec("SELECT due_at::text FROM scheduled_events WHERE kind = "
                                   "'level1' AND state = 'pending'");
        return rows && !rows->empty() ? rows->text(0, 0) : std::string();
    };
    REQUIRE(test::eventually([&] { return !level1_due().empty(); }, 20s));
    const std::string before = level1_due();

    cluster.pause();
    std::ofstream(config) << test::example_config_text({{"level1: 2h", "level1: 4h"}});
    daemon.signal(SIGHUP);
    REQUIRE(test::eventually(
        [&] {
            return test::read_text_file(log).find("configuration reloaded") != std::string::npos;
        },
        10s));
    cluster.resume();
    CHECK(test::eventually([&] { return level1_due() != before && !level1_due().empty(); }, 40s));
    CHECK(test::read_text_file(log).find("pending events recomputed") != std::string::npos);
    daemon.signal(SIGTERM);
    CHECK(daemon.wait(10s) == 0);
}

TEST_CASE("a reload with a changed system.database moves leadd to the new database",
          "[leadd][reload]") {
    test::TestDatabase first;
    test::TestDatabase second;
    const std::string config = temp_file("moving.yaml");
    auto write_config = [&](const test::TestDatabase& db) {
        std::ofstream(config) << test::example_config_text(
            {{"database: \"host=/run/postgresql dbname=leadrouter\"",
              "database: \"" + db.conninfo() + "\""}});
    };
    write_config(first);
    const std::string log = temp_file("moving.log");
    // No --database: system.database is the one to follow.
    test::ChildProcess daemon({LEADD_BINARY, "--config", config}, log);
    auto state = [](const test::TestDatabase& db, long long id) {
        return db.exec("SELECT state FROM leads WHERE id = $1", {std::to_string(id)}).text(0, 0);
    };
    auto in_first = test::add_lead(first, {.email = "vorher@example.org"});
    first.exec("NOTIFY leadrouter_new_lead");
    REQUIRE(test::eventually([&] { return state(first, in_first) == "assigned"; }, 20s));

    write_config(second);
    daemon.signal(SIGHUP);
    REQUIRE(test::eventually(
        [&] {
            return test::read_text_file(log).find("system.database changed") != std::string::npos;
        },
        10s));
    // Waiting in the new database before the switch, and arriving after it.
    auto waiting = test::add_lead(second, {.email = "wartend@example.org"});
    CHECK(test::eventually([&] { return state(second, waiting) == "assigned"; }, 20s));
    auto after = test::add_lead(first, {.email = "alt@example.org"});
    first.exec("NOTIFY leadrouter_new_lead");
    auto arriving = test::add_lead(second, {.email = "neu@example.org"});
    second.exec("NOTIFY leadrouter_new_lead");
    CHECK(test::eventually([&] { return state(second, arriving) == "assigned"; }, 20s));
    CHECK(state(first, after) == "new"); // the old database is no longer served
    daemon.signal(SIGTERM);
    CHECK(daemon.wait(10s) == 0);
}
