#include "example_config.hpp"
#include "leadctl_run.hpp"
#include "test_database.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace lr;

namespace {

const std::string fixture_exposes = test::fixture_path("vehicles/expose");

test::CliRun import(const test::TestDatabase& db, const std::string& csv_file,
                    const std::string& expose_dir = fixture_exposes) {
    return test::run_leadctl({"vehicles", "import", "--config",
                              test::write_example_config({test::expose_dir_at(expose_dir)}),
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
    CHECK(inventory(db) == "HH-2231/hamburg/used/autoscout24=AS-55501,mobile.de=412345678/"
                           "short=HH-2231-kurz.pdf,standard=HH-2231.pdf "
                           "HH-2290/hamburg/new/mobile.de=412399001/standard=HH-2290.pdf "
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
    auto run =
        test::run_leadctl({"vehicles", "import", "--config",
                           test::write_example_config({test::expose_dir_at(fixture_exposes)}),
                           "--database", "host=/nonexistent dbname=x", "--dealer", "mueller",
                           test::fixture_path("vehicles/mueller.csv")});
    CHECK(run.rc == 1);
    CHECK(run.err.rfind("leadctl: database: cannot connect (", 0) == 0);
}

TEST_CASE("an inventory naming exposés outside the exposé directory, links out of it, non-PDFs "
          "or huge files is refused line by line, nothing imported",
          "[vehicles][attack]") {
    test::TestDatabase db;
    namespace fs = std::filesystem;
    const fs::path base =
        fs::temp_directory_path() / ("leadrouter-attack-" + std::to_string(getpid()));
    fs::remove_all(base);
    const fs::path dir = base / "exposes";
    fs::create_directories(dir / "sub");
    std::ofstream(base / "secret.pdf") << "%PDF-1.4 not for customers\n";
    std::ofstream(dir / "good.pdf") << "%PDF-1.4\n";
    std::ofstream(dir / "sub" / "also-good.pdf") << "%PDF-1.7\n";
    std::ofstream(dir / "config.pdf") << "system:\n  database: \"password=geheim\"\n";
    fs::create_symlink("/etc/passwd", dir / "link.pdf");
    fs::create_symlink(base / "secret.pdf", dir / "inside-link.pdf");
    {
        std::ofstream big(dir / "big.pdf");
        big << "%PDF-1.4\n";
    }
    fs::resize_file(dir / "big.pdf", 21u * 1024 * 1024);
    const fs::path csv = base / "inventory.csv";
    std::ofstream(csv) << "internal_number,expose:standard\n"
                          "A1,/etc/passwd\n"
                          "A2,../secret.pdf\n"
                          "A3,link.pdf\n"
                          "A4,inside-link.pdf\n"
                          "A5,config.pdf\n"
                          "A6,big.pdf\n"
                          "A7,missing.pdf\n"
                          "A8,good.pdf\n"
                          "A9,sub/also-good.pdf\n";
    auto run = import(db, csv.string(), dir.string());
    CHECK(run.rc == 1);
    const std::string real = fs::canonical(dir).string();
    const std::string f = csv.string();
    CHECK(run.err ==
          f + ":2: expose:standard: exposé \"/etc/passwd\" is outside the exposé directory " +
              real + "\n" + f + ":3: expose:standard: exposé \"../secret.pdf\" is outside the " +
              "exposé directory " + real + "\n" + f +
              ":4: expose:standard: exposé \"link.pdf\" is outside the exposé directory " + real +
              "\n" + f + ":5: expose:standard: exposé \"inside-link.pdf\" is outside the exposé " +
              "directory " + real + "\n" + f +
              ":6: expose:standard: exposé \"config.pdf\" is not a PDF (it does not start with "
              "%PDF-)\n" +
              f + ":7: expose:standard: exposé \"big.pdf\" is larger than 20 MiB\n" + f +
              ":8: expose:standard: exposé \"missing.pdf\" does not exist in the exposé "
              "directory " +
              real + "\n" + "leadctl vehicles import: 7 bad row(s); nothing was imported\n");
    CHECK(db.exec("SELECT count(*) FROM vehicles").integer(0, 0) == 0);

    // Without the bad rows the rest imports.
    std::ofstream(csv) << "internal_number,expose:standard\nA8,good.pdf\nA9,sub/also-good.pdf\n";
    auto good = import(db, csv.string(), dir.string());
    INFO(good.err);
    CHECK(good.rc == 0);
    fs::remove_all(base);
}
