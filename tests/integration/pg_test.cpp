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
