// Writes that cannot double even if a bug elsewhere races (issue #13): the
// database itself refuses a second decision for a lead, a decision on a
// rotation cursor that moved meanwhile, a second audit row of one
// assignment, a second event of a kind in one chain, and a replayed event
// queues no second mail.
#include "config/loader.hpp"
#include "lead_seed.hpp"
#include "store/assignment_run.hpp"
#include "store/firing_run.hpp"

#include <catch2/catch.hpp>
#include <functional>
#include <regex>
#include <set>

using namespace lr;

namespace {

std::shared_ptr<const core::Config> example_config() {
    auto loaded =
        config::load_config_file(std::string(LEADROUTER_SPEC_DIR) + "/config-example.yaml");
    REQUIRE(loaded.config);
    return loaded.config;
}

core::Instant now() {
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

long long count(const test::TestDatabase& db, const std::string& sql) {
    return db.exec(sql).integer(0, 0);
}

// An assignment batch that lets the test act just before its write, and
// keeps the write statement to replay it.
class WatchedRun : public store::StatementSequence {
public:
    WatchedRun(std::function<void()> before_write)
        : m_run(example_config(), 100, now(), "test"), m_before_write(std::move(before_write)) {}
    std::optional<store::Statement> next(const store::Rows* previous) override {
        auto statement = m_run.next(previous);
        if (statement && statement->sql.rfind("WITH d AS", 0) == 0) {
            m_write = *statement;
            if (m_before_write)
                m_before_write();
        }
        return statement;
    }
    std::optional<store::Statement> m_write;

private:
    store::AssignmentRun m_run;
    std::function<void()> m_before_write;
};

// A sequence that tries to end its own transaction half-way.
class CommitsHalfWay : public store::StatementSequence {
public:
    std::optional<store::Statement> next(const store::Rows*) override {
        switch (m_step++) {
        case 0:
            return store::Statement{"UPDATE leads SET state = 'closed'", {}};
        case 1:
            return store::Statement{"COMMIT", {}};
        default:
            return std::nullopt;
        }
    }

private:
    int m_step = 0;
};

} // namespace

TEST_CASE("a fired event fired again (its state reset by hand) queues no second mail",
          "[write-once][scheduler]") {
    test::TestDatabase db;
    auto config = example_config();
    test::add_lead(db, {.email = "replay@example.org"});
    auto connection = db.connect();
    REQUIRE(store::run_assignment_batch(connection, config, 10, now(), "test"));
    const auto far = now() + std::chrono::hours(24 * 14);
    auto first = store::fire_due_events(connection, config, 100, far);
    REQUIRE(first);
    REQUIRE(first->sent == 4);
    REQUIRE(count(db, "SELECT count(*) FROM outbox") == 4);

    db.exec("UPDATE scheduled_events SET state = 'pending', done_at = NULL "
            "WHERE kind = 'level1'");
    auto again = store::fire_due_events(connection, config, 100, far);
    INFO((again ? "" : again.error().message));
    REQUIRE(again); // fired without an error: the event is not stuck
    CHECK(again->claimed == 1);
    CHECK(count(db, "SELECT count(*) FROM outbox") == 4);
    CHECK(count(db, "SELECT count(*) FROM outbox WHERE kind = 'level1'") == 1);
    CHECK(count(db, "SELECT count(*) FROM scheduled_events WHERE state = 'pending'") == 0);
}

TEST_CASE("an event's mail has a Message-ID with 128 random bits, kept by its outbox row",
          "[write-once][scheduler][attack]") {
    test::TestDatabase db;
    auto config = example_config();
    test::add_lead(db, {.email = "eins@example.org"});
    test::add_lead(db, {.email = "zwei@example.org"});
    auto connection = db.connect();
    REQUIRE(store::run_assignment_batch(connection, config, 10, now(), "test"));
    REQUIRE(store::fire_due_events(connection, config, 100, now() + std::chrono::hours(24 * 14)));
    auto rows = db.exec("SELECT message_id, event_id FROM outbox ORDER BY id");
    REQUIRE(rows.size() == 8);
    std::set<std::string> tokens;
    for (int i = 0; i < rows.size(); ++i) {
        std::smatch match;
        const std::string id = rows.text(i, 0);
        REQUIRE(std::regex_match(id, match,
                                 std::regex("<leadrouter\\.event\\.([0-9]+)\\.([0-9a-f]{32})"
                                            "@dein\\.auto>")));
        CHECK(match[1].str() == rows.text(i, 1)); // the event it is for
        tokens.insert(match[2].str());
    }
    CHECK(tokens.size() == 8);
}

TEST_CASE("a decision written a second time is refused by the database, nothing of it kept",
          "[write-once][assignment]") {
    test::TestDatabase db;
    test::add_lead(db, {.email = "twice@example.org"});
    auto connection = db.connect();
    WatchedRun run(nullptr);
    REQUIRE(store::run_sequence(connection, run));
    REQUIRE(run.m_write);
    REQUIRE(count(db, "SELECT count(*) FROM assignments") == 1);

    // The same decision again, as a racing daemon would write it: its
    // cursor has moved since (by the first write)…
    auto replayed = connection.exec(*run.m_write);
    REQUIRE_FALSE(replayed);
    INFO(replayed.error().message);
    CHECK(replayed.error().message.find("leadrouter refused a write: a rotation cursor moved") !=
          std::string::npos);
    // … and with the cursor put back as it read it, the lead is no longer new.
    db.exec("UPDATE rotation_cursors SET turns = 0");
    auto again = connection.exec(*run.m_write);
    REQUIRE_FALSE(again);
    INFO(again.error().message);
    CHECK(again.error().message.find("leadrouter refused a write: a decided lead was no longer "
                                     "new") != std::string::npos);
    CHECK(count(db, "SELECT count(*) FROM assignments") == 1);
    CHECK(count(db, "SELECT count(*) FROM scheduled_events") == 4);
}

TEST_CASE("a batch whose rotation cursor moved while it decided is refused and decided anew",
          "[write-once][assignment]") {
    test::TestDatabase db;
    test::add_lead(db, {.email = "erster@example.org"});
    auto connection = db.connect();
    REQUIRE(store::run_assignment_batch(connection, example_config(), 10, now(), "test"));
    REQUIRE(db.exec("SELECT last_user, turns FROM rotation_cursors").text(0, 0) == "schmidt");

    test::add_lead(db, {.email = "zweiter@example.org"});
    // Another decision moves the cursor between this batch's read and its
    // write (what two daemons interleaving on one connection once did).
    WatchedRun run(
        [&] { db.exec("UPDATE rotation_cursors SET last_user = 'weber', turns = turns + 1"); });
    auto refused = store::run_sequence(connection, run);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message.find("a rotation cursor moved") != std::string::npos);
    CHECK(count(db, "SELECT count(*) FROM assignments") == 1);
    CHECK(count(db, "SELECT count(*) FROM leads WHERE state = 'new'") == 1);

    // The retry reads the moved cursor and goes on from there.
    REQUIRE(store::run_assignment_batch(connection, example_config(), 10, now(), "test"));
    CHECK(db.exec("SELECT assignee FROM leads ORDER BY id DESC LIMIT 1").text(0, 0) == "yilmaz");
    CHECK(count(db, "SELECT count(*) FROM assignments") == 2);
}

TEST_CASE("the database refuses a second audit row of one assignment and a second event of a "
          "kind in one chain",
          "[write-once]") {
    test::TestDatabase db;
    test::add_lead(db, {.email = "einmal@example.org"});
    auto connection = db.connect();
    REQUIRE(store::run_assignment_batch(connection, example_config(), 10, now(), "test"));
    CHECK(count(db, "SELECT generation FROM leads") == 1);
    CHECK(count(db, "SELECT generation FROM assignments") == 1);
    auto audit = connection.exec("INSERT INTO assignments (lead_id, dealer_id, user_id, rule, "
                                 "generation) SELECT id, dealer_id, 'weber', 'rotation', "
                                 "generation FROM leads");
    REQUIRE_FALSE(audit);
    CHECK(audit.error().message.find("assignments_once") != std::string::npos);
    auto event = connection.exec(
        "INSERT INTO scheduled_events (lead_id, kind, chain, anchor_at, due_at, send_at, "
        "addressee) SELECT lead_id, kind, chain, anchor_at, due_at, send_at, addressee FROM "
        "scheduled_events WHERE kind = 'level1'");
    REQUIRE_FALSE(event);
    CHECK(event.error().message.find("scheduled_events_once") != std::string::npos);
}

TEST_CASE("a statement sequence cannot end its own transaction: refused, rolled back",
          "[write-once]") {
    test::TestDatabase db;
    test::add_lead(db, {.email = "offen@example.org"});
    auto connection = db.connect();
    CommitsHalfWay sequence;
    auto done = store::run_sequence(connection, sequence);
    REQUIRE_FALSE(done);
    CHECK(done.error().code == ErrorCode::internal);
    CHECK(count(db, "SELECT count(*) FROM leads WHERE state = 'new'") == 1);
    CHECK(PQtransactionStatus(connection.raw()) == PQTRANS_IDLE);
}
