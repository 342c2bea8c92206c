#include "leadctl_run.hpp"
#include "test_database.hpp"
#include "util/json.hpp"

#include <catch2/catch.hpp>
#include <sstream>

using namespace lr;

namespace {

test::CliRun leadctl(std::vector<std::string> args) {
    return test::run_leadctl(args);
}

const std::string example = std::string(LEADROUTER_SPEC_DIR) + "/config-example.yaml";

void add_lead(const test::TestDatabase& db, const std::string& token, const std::string& assignee,
              const std::string& state) {
    db.exec("INSERT INTO leads (dealer_id, kind, source, token, state, assignee, received_at) "
            "VALUES ('mueller', 'lead', 'email', $1, $2, $3, now())",
            {token, state, assignee});
}

} // namespace

TEST_CASE("leadctl migrate applies the schema once and then reports it up to date",
          "[migrate][cli]") {
    test::TestDatabase db(false);
    auto first = leadctl({"migrate", "--database", db.conninfo()});
    INFO(first.err);
    CHECK(first.rc == 0);
    CHECK(first.out == "applied migration 1\napplied migration 2\napplied migration 3\napplied "
                       "migration 4\napplied migration 5\napplied migration 6\napplied migration "
                       "7\napplied migration 8\napplied migration 9\napplied migration "
                       "10\napplied migration 11\napplied migration 12\napplied migration "
                       "13\napplied migration 14\napplied migration 15\nschema is at version 15\n");
    auto second = leadctl({"migrate", "--database", db.conninfo(), "--json"});
    CHECK(second.rc == 0);
    CHECK(lr::Json::parse(second.out) == lr::Json{{"applied", lr::Json::array()}, {"version", 15}});
}

TEST_CASE("leadctl migrate with the database down exits 1 and says so", "[migrate][cli]") {
    auto run = leadctl({"migrate", "--database", "host=/nonexistent dbname=x"});
    CHECK(run.rc == 1);
    CHECK(run.err.rfind("leadctl: database: cannot connect (", 0) == 0);
}

TEST_CASE("leadctl users shows the seed's Benutzer block with absences and open leads",
          "[users][cli]") {
    test::TestDatabase db;
    db.exec("INSERT INTO absences (dealer_id, user_id, starts_at, ends_at) VALUES "
            "('mueller', 'schmidt', now() - interval '1 hour', now() + interval '1 day'), "
            "('mueller', 'weber', now() + interval '1 day', now() + interval '2 days'), "
            "('other', 'yilmaz', now() - interval '1 hour', now() + interval '1 day')");
    add_lead(db, "t1", "weber", "assigned");
    add_lead(db, "t2", "weber", "assigned");
    add_lead(db, "t3", "weber", "closed");
    add_lead(db, "t4", "yilmaz", "responded");
    add_lead(db, "t5", "schmidt", "new");

    auto run =
        leadctl({"users", "--config", example, "--database", db.conninfo(), "--dealer", "mueller"});
    INFO(run.err);
    REQUIRE(run.rc == 0);
    CHECK(run.out ==
          "Autohaus Müller GmbH (mueller)\n"
          "group neuwagen: schmidt, weber\n"
          "rotation: schmidt, weber, yilmaz\n"
          "fallback: zentrale, admin: admin\n"
          "\n"
          "USER      NAME           RECEIVES  ASSIGNABLE  GROUPS    SUPERVISOR  SUBSTITUTE  "
          "ABSENT  OPEN\n"
          "schmidt   Anna Schmidt   yes       yes         neuwagen  mayer       weber       "
          "yes     1\n"
          "weber     Jonas Weber    yes       yes         neuwagen  mayer       -           "
          "no      2\n"
          "yilmaz    Deniz Yılmaz   yes       yes         -         mayer       -           "
          "no      1\n"
          "mayer     Petra Mayer    no        yes         -         -           -           "
          "no      0\n"
          "pool      Anfragen-Pool  no        no          -         mayer       -           "
          "no      0\n"
          "zentrale  Zentrale       no        yes         -         -           -           "
          "no      0\n"
          "admin     Administrator  no        yes         -         -           -           "
          "no      0\n");
}

TEST_CASE("leadctl users --json gives one object per user", "[users][cli]") {
    test::TestDatabase db;
    add_lead(db, "t1", "yilmaz", "assigned");
    auto run = leadctl({"users", "--config", example, "--database", db.conninfo(), "--dealer",
                        "mueller", "--json"});
    REQUIRE(run.rc == 0);
    const auto users = lr::Json::parse(run.out);
    CHECK(users[0] ==
          lr::Json::parse("{\"id\": \"schmidt\", \"name\": \"Anna Schmidt\", \"receives_leads\": "
                          "true, \"assignable\": true, \"groups\": [\"neuwagen\"], \"supervisor\": "
                          "\"mayer\", \"substitute\": \"weber\", \"absent_now\": false, "
                          "\"open_leads\": 0}"));
    CHECK(std::count(users.begin(), users.end(),
                     lr::Json::parse("{\"id\": \"yilmaz\", \"name\": \"Deniz Yılmaz\", "
                                     "\"receives_leads\": true, \"assignable\": true, \"groups\": "
                                     "[], \"supervisor\": \"mayer\", \"substitute\": null, "
                                     "\"absent_now\": false, \"open_leads\": 1}")) == 1);
}
