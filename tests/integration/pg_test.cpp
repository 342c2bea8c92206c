#include "process.hpp"
#include "store/connection_pool.hpp"
#include "store/pg.hpp"
#include "test_database.hpp"

#include <catch2/catch.hpp>

using namespace lr;

TEST_CASE("parameters carry any text and NULL without touching the SQL", "[pg]") {
    test::TestDatabase db;
    auto connection = db.connect();
    const std::string hostile = "Robert'); DROP TABLE leads; -- Müller \"ß\"";
    auto rows = connection.exec("SELECT $1::text, $2::text IS NULL", {hostile, std::nullopt});
    REQUIRE(rows);
    CHECK(rows->text(0, 0) == hostile);
    CHECK(rows->boolean(0, 1));
    CHECK(connection.exec("SELECT count(*) FROM leads")->integer(0, 0) == 0);
}

TEST_CASE("a transaction not committed is rolled back when it goes out of scope", "[pg]") {
    test::TestDatabase db;
    auto connection = db.connect();
    {
        auto tx = store::Transaction::begin(connection);
        REQUIRE(tx);
        REQUIRE(connection.exec("INSERT INTO absences (dealer_id, user_id, starts_at, ends_at) "
                                "VALUES ('d', 'u', now(), now() + interval '1 day')"));
    }
    CHECK(connection.exec("SELECT count(*) FROM absences")->integer(0, 0) == 0);
    {
        auto tx = store::Transaction::begin(connection);
        REQUIRE(tx);
        REQUIRE(connection.exec("INSERT INTO absences (dealer_id, user_id, starts_at, ends_at) "
                                "VALUES ('d', 'u', now(), now() + interval '1 day')"));
        REQUIRE(tx->commit());
    }
    CHECK(connection.exec("SELECT count(*) FROM absences")->integer(0, 0) == 1);
}

TEST_CASE("errors name the server's message and the statement", "[pg]") {
    test::TestDatabase db;
    auto connection = db.connect();
    auto rows = connection.exec("SELECT * FROM no_such_table WHERE id = $1", {"1"});
    REQUIRE_FALSE(rows);
    CHECK(rows.error().code == ErrorCode::database);
    CHECK(rows.error().message.find("relation \"no_such_table\" does not exist") !=
          std::string::npos);
    CHECK(rows.error().message.find("(in: SELECT * FROM no_such_table") != std::string::npos);
}

TEST_CASE("an unreachable database is a clear error, not a crash", "[pg]") {
    auto connection = store::Connection::open("host=/nonexistent-socket-dir dbname=x");
    REQUIRE_FALSE(connection);
    CHECK(connection.error().code == ErrorCode::database);
    CHECK(connection.error().message.rfind("database: cannot connect (", 0) == 0);
}

namespace {
std::vector<std::string> heard_notices;
void remember_notice(const std::string& severity, const std::string& message) {
    heard_notices.push_back(severity + ": " + message);
}
} // namespace

TEST_CASE("a server WARNING or NOTICE in our session reaches the notice handler, never silenced",
          "[pg]") {
    test::TestDatabase db;
    auto connection = db.connect();
    heard_notices.clear();
    store::set_notice_handler(&remember_notice);
    REQUIRE(connection.exec("BEGIN"));
    REQUIRE(connection.exec("BEGIN")); // what interleaved loops once did
    REQUIRE(connection.exec("ROLLBACK"));
    REQUIRE(connection.exec("DO $$ BEGIN RAISE NOTICE 'hallo'; END $$"));
    store::set_notice_handler(nullptr);
    CHECK(heard_notices ==
          std::vector<std::string>{"WARNING: there is already a transaction in progress",
                                   "NOTICE: hallo"});
}

TEST_CASE("the pool counts a reconnect when a connection it handed out was lost, and not "
          "before",
          "[pg][metrics]") {
    test::TestDatabase db;
    auto& reconnects = store::reconnect_counter();
    const double before = reconnects.value();
    store::ConnectionPool pool(db.conninfo(), 1);
    long long pid = 0;
    {
        auto first = pool.take();
        REQUIRE(first);
        pid = (*first)->exec("SELECT pg_backend_pid()")->integer(0, 0);
    }
    {
        auto again = pool.take(); // the idle one: no reconnect
        REQUIRE(again);
        CHECK((*again)->exec("SELECT pg_backend_pid()")->integer(0, 0) == pid);
    }
    CHECK(reconnects.value() == before);
    // The server ends the idle connection (a restart, a failover).
    db.exec("SELECT pg_terminate_backend($1::int)", {std::to_string(pid)});
    REQUIRE(test::eventually(
        [&] {
            return db.exec("SELECT count(*) FROM pg_stat_activity WHERE pid = $1::int",
                           {std::to_string(pid)})
                       .integer(0, 0) == 0;
        },
        std::chrono::seconds(10)));
    {
        auto lost = pool.take();
        REQUIRE(lost);
        CHECK_FALSE((*lost)->exec("SELECT 1")); // it learns of the loss here
    }
    CHECK(reconnects.value() == before);
    auto fresh = pool.take();
    REQUIRE(fresh);
    CHECK((*fresh)->exec("SELECT 1"));
    CHECK(reconnects.value() == before + 1);
}
