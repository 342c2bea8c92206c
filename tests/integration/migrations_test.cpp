#include "store/migrations.hpp"
#include "test_database.hpp"

#include <catch2/catch.hpp>
#include <thread>

using namespace lr;

namespace {

// Every column of every table of ours: what a migration changes.
std::string schema_fingerprint(store::Connection& connection) {
    auto rows = connection.exec(
        "SELECT string_agg(table_name || '.' || column_name || ':' || data_type, ',' "
        "ORDER BY table_name, ordinal_position) FROM information_schema.columns "
        "WHERE table_schema = 'public'");
    REQUIRE(rows);
    return rows->text(0, 0);
}

} // namespace

TEST_CASE("migrate on an empty database creates every table the spec needs", "[migrate]") {
    test::TestDatabase db(false);
    auto connection = db.connect();
    CHECK(*store::schema_version(connection) == 0);
    auto report = store::migrate(connection);
    REQUIRE(report);
    CHECK(report->applied == std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15});
    CHECK(report->version == static_cast<int>(store::all_migrations().size()));
    for (const char* table :
         {"messages", "leads", "contacts", "vehicles", "vehicle_listings", "vehicle_exposes",
          "assignments", "rotation_cursors", "absences", "scheduled_events", "outbox", "reply_keys",
          "lead_actions", "schema_migrations"}) {
        INFO(table);
        auto exists = connection.exec("SELECT to_regclass($1) IS NOT NULL", {table});
        REQUIRE(exists);
        CHECK(exists->boolean(0, 0));
    }
    // 012: a lead's version goes up with each change of state or assignee
    // and with each person's action (the links are signed over it).
    auto lead = connection.exec(
        "INSERT INTO leads (dealer_id, kind, source, token, received_at) VALUES ('d', 'lead', "
        "'email', 'version-test', now()) RETURNING id");
    REQUIRE(lead);
    const std::string id = lead->text(0, 0);
    const auto version = [&] {
        return connection.exec("SELECT version FROM leads WHERE id = $1", {id})->integer(0, 0);
    };
    CHECK(version() == 0);
    REQUIRE(connection.exec("UPDATE leads SET message = 'x' WHERE id = $1", {id}));
    CHECK(version() == 0); // not a change of state or assignee
    REQUIRE(
        connection.exec("UPDATE leads SET state = 'assigned', assignee = 'a' WHERE id = $1", {id}));
    CHECK(version() == 1);
    REQUIRE(connection.exec("UPDATE leads SET assignee = 'a' WHERE id = $1", {id}));
    CHECK(version() == 1); // the same assignee again
    REQUIRE(connection.exec("INSERT INTO lead_actions (lead_id, dealer_id, action, user_id, "
                            "channel, acted_at) VALUES ($1, 'd', 'resubmission', 'a', 'web', "
                            "now())",
                            {id}));
    CHECK(version() == 2);
}

TEST_CASE("migration 013: lead_actions take channel api with the integration's name, and no "
          "channel the code does not know",
          "[migrate][api]") {
    test::TestDatabase db(false);
    auto connection = db.connect();
    REQUIRE(store::migrate(connection));
    const auto id = connection
                        .exec("INSERT INTO leads (dealer_id, kind, source, token, received_at) "
                              "VALUES ('d', 'lead', 'email', 'api-test', now()) RETURNING id")
                        ->text(0, 0);
    CHECK(connection.exec("INSERT INTO lead_actions (lead_id, dealer_id, action, user_id, channel, "
                          "acted_at, integration) VALUES ($1, 'd', 'close', 'a', 'api', now(), "
                          "'automanager')",
                          {id}));
    CHECK_FALSE(connection.exec("INSERT INTO lead_actions (lead_id, dealer_id, action, user_id, "
                                "channel, acted_at) VALUES ($1, 'd', 'close', 'a', 'fax', now())",
                                {id}));
}

TEST_CASE("migration 014: a contact needs an address or a phone until it is anonymised, and "
          "the privacy log takes erasures and exports only",
          "[migrate][privacy]") {
    test::TestDatabase db(false);
    auto connection = db.connect();
    REQUIRE(store::migrate(connection));
    CHECK_FALSE(connection.exec("INSERT INTO contacts (dealer_id) VALUES ('d')"));
    CHECK(connection.exec("INSERT INTO contacts (dealer_id, anonymised_at) VALUES ('d', now())"));
    CHECK(connection.exec("INSERT INTO privacy_log (action, actor, at) VALUES ('erase', 'x', "
                          "now())"));
    CHECK_FALSE(connection.exec("INSERT INTO privacy_log (action, actor, at) VALUES ('peek', "
                                "'x', now())"));
}

TEST_CASE("migrate twice changes nothing the second time", "[migrate]") {
    test::TestDatabase db(false);
    auto connection = db.connect();
    REQUIRE(store::migrate(connection));
    const auto before = schema_fingerprint(connection);
    const auto recorded = connection.exec("SELECT version, name, applied_at::text FROM "
                                          "schema_migrations ORDER BY version");
    REQUIRE(recorded);

    auto again = store::migrate(connection);
    REQUIRE(again);
    CHECK(again->applied.empty());
    CHECK(schema_fingerprint(connection) == before);
    auto after = connection.exec("SELECT version, name, applied_at::text FROM schema_migrations "
                                 "ORDER BY version");
    REQUIRE(after);
    REQUIRE(after->size() == recorded->size());
    for (int i = 0; i < after->size(); ++i)
        CHECK(after->text(i, 2) == recorded->text(i, 2));
}

TEST_CASE("concurrent migrate runs apply each migration exactly once", "[migrate]") {
    test::TestDatabase db(false);
    std::vector<Result<store::MigrationReport>> reports(4, Error{ErrorCode::database, "not run"});
    std::vector<std::thread> threads;
    for (size_t i = 0; i < reports.size(); ++i)
        threads.emplace_back([&, i] {
            auto connection = db.connect();
            reports[i] = store::migrate(connection);
        });
    for (auto& thread : threads)
        thread.join();
    size_t applied = 0;
    for (const auto& report : reports) {
        REQUIRE(report);
        applied += report->applied.size();
    }
    CHECK(applied == store::all_migrations().size());
    auto connection = db.connect();
    CHECK(connection.exec("SELECT count(*) FROM schema_migrations")->integer(0, 0) ==
          static_cast<long long>(store::all_migrations().size()));
}

TEST_CASE("a failing migration leaves the database as it was", "[migrate]") {
    test::TestDatabase db(false);
    auto connection = db.connect();
    // A table in the way of migration 1: it must fail and roll back whole.
    REQUIRE(connection.exec("CREATE TABLE outbox (id int)"));
    auto report = store::migrate(connection);
    REQUIRE_FALSE(report);
    CHECK(report.error().message.rfind("migration 1 (initial): database: ", 0) == 0);
    CHECK(connection.exec("SELECT to_regclass('leads') IS NULL")->boolean(0, 0));
    CHECK(connection.exec("SELECT to_regclass('schema_migrations') IS NULL")->boolean(0, 0));
}
