#include "leadctl_run.hpp"
#include "test_database.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace lr;

namespace {

test::CliRun import(const test::TestDatabase& db, const std::string& csv_file) {
    return test::run_leadctl({"vehicles", "import", "--config",
                              std::string(LEADROUTER_SPEC_DIR) + "/config-example.yaml",
                              "--database", db.conninfo(), "--dealer", "mueller", csv_file});
}

std::string inventory(const test::TestDatabase& db) {
    auto rows = db.exec(
        "SELECT string_agg(v.internal_number || '/' || coalesce(v.location_id, '-') || '/' || "
        "coalesce(v.condition, '-') || '/' || coalesce(l.listings, '') || '/' || "
        "coalesce(e.exposes, ''), ' ' ORDER BY v.internal_number) FROM vehicles v "
        "LEFT JOIN LATERAL (SELECT string_agg(marketplace || '=' || listing_id, ',' ORDER BY "
        "marketplace) listings FROM vehicle_listings WHERE vehicle_id = v.id) l ON true "
        "LEFT JOIN LATERAL (SELECT string_agg(type || '=' || path, ',' ORDER BY type) exposes "
        "FROM vehicle_exposes WHERE vehicle_id = v.id) e ON true WHERE v.dealer_id = 'mueller'");
    return rows.optional_text(0, 0).value_or("");
}

} // namespace

TEST_CASE("vehicles import loads the fixture inventory with listings and exposés", "[vehicles]") {
    test::TestDatabase db;
    auto run = import(db, test::fixture_path("vehicles/mueller.csv"));
    INFO(run.err);
    REQUIRE(run.rc == 0);
    CHECK(run.out == "mueller: imported 4 vehicle(s), replacing 0\n");
    CHECK(inventory(db) ==
          "HH-2231/hamburg/used/autoscout24=AS-55501,mobile.de=412345678/"
          "short=/srv/expose/HH-2231-kurz.pdf,standard=/srv/expose/HH-2231.pdf "
          "HH-2290/hamburg/new/mobile.de=412399001/standard=/srv/expose/HH-2290.pdf "
          "KI-0815/kiel/used/autoscout24=AS-55777/ "
          "KI-0902/kiel/new//");
}

TEST_CASE("re-import replaces the inventory (nothing old remains)", "[vehicles]") {
    test::TestDatabase db;
    REQUIRE(import(db, test::fixture_path("vehicles/mueller.csv")).rc == 0);
    auto run = import(db, test::fixture_path("vehicles/mueller-reduced.csv"));
    INFO(run.err);
    REQUIRE(run.rc == 0);
    CHECK(run.out == "mueller: imported 2 vehicle(s), replacing 4\n");
    CHECK(inventory(db) == "HH-2231/hamburg/used/mobile.de=412345678/ KI-1001/kiel/used//");
    CHECK(db.exec("SELECT count(*) FROM vehicle_listings").integer(0, 0) == 1);
}

TEST_CASE("a bad row names its line and nothing is imported, the old inventory stays",
          "[vehicles]") {
    test::TestDatabase db;
    REQUIRE(import(db, test::fixture_path("vehicles/mueller.csv")).rc == 0);
    const auto before = inventory(db);
    const auto file = test::fixture_path("vehicles/mueller-bad-row.csv");
    auto run = import(db, file);
    CHECK(run.rc == 1);
    CHECK(run.err == file + ":4: unknown location \"berlin\" for dealer mueller\n" +
                         "leadctl vehicles import: 1 bad row(s); nothing was imported\n");
    CHECK(inventory(db) == before);
}

TEST_CASE("vehicles import with the database down fails clearly and imports nothing",
          "[vehicles]") {
    auto run = test::run_leadctl({"vehicles", "import", "--config",
                                  std::string(LEADROUTER_SPEC_DIR) + "/config-example.yaml",
                                  "--database", "host=/nonexistent dbname=x", "--dealer", "mueller",
                                  test::fixture_path("vehicles/mueller.csv")});
    CHECK(run.rc == 1);
    CHECK(run.err.rfind("leadctl: database: cannot connect (", 0) == 0);
}
