// Every file under fixtures/config/broken and fixtures/config/warn states
// what `leadctl check` must say about it, in trailing comments:
//   # expect-exit: 1
//   # expect: name.yaml:14:15: error: dealers[d1].escalation.level1: ...
// The test runs leadctl on each file and compares: the exit code, every
// expected line present, and no finding that is not expected.
#include "cli.hpp"
#include "test_database.hpp"
#include "util/json.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace {

struct Expectation {
    int exit_code = -1;
    std::vector<std::string> lines;
};

Expectation read_expectation(const fs::path& file) {
    Expectation expectation;
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("# expect-exit: ", 0) == 0)
            expectation.exit_code = std::stoi(line.substr(15));
        else if (line.rfind("# expect: ", 0) == 0)
            expectation.lines.push_back(line.substr(10));
    }
    return expectation;
}

std::vector<std::string> finding_lines(const std::string& output) {
    std::vector<std::string> lines;
    std::istringstream in(output);
    std::string line;
    while (std::getline(in, line))
        if (line.find(": error: ") != std::string::npos ||
            line.find(": warning: ") != std::string::npos)
            lines.push_back(line);
    return lines;
}

void check_fixture(const fs::path& file) {
    auto expectation = read_expectation(file);
    INFO(file.string());
    REQUIRE(expectation.exit_code >= 0);
    REQUIRE_FALSE(expectation.lines.empty());

    std::ostringstream out;
    std::ostringstream err;
    int rc = lr::ctl::run_leadctl({"check", "--config", file.string()}, out, err);
    INFO(out.str() + err.str());
    CHECK(rc == expectation.exit_code);
    auto findings = finding_lines(out.str());
    CHECK(findings.size() == expectation.lines.size());
    for (const auto& expected : expectation.lines) {
        bool found = false;
        for (const auto& finding : findings)
            found = found || finding == file.parent_path().string() + "/" + expected;
        INFO("expected: " << expected);
        CHECK(found);
    }
}

std::vector<fs::path> fixtures_in(const std::string& dir) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(lr::test::fixture_path(dir)))
        if (entry.path().extension() == ".yaml")
            files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

} // namespace

TEST_CASE("leadctl check: each broken configuration fails with file, line, key and message",
          "[check][fixtures]") {
    auto files = fixtures_in("config/broken");
    REQUIRE(files.size() >= 15);
    for (const auto& file : files)
        check_fixture(file);
}

TEST_CASE("leadctl check: each seed warning is reported and exits 0", "[check][fixtures]") {
    auto files = fixtures_in("config/warn");
    REQUIRE(files.size() >= 7);
    for (const auto& file : files)
        check_fixture(file);
}

TEST_CASE("leadctl check --strict turns warnings into exit 1", "[check][fixtures]") {
    for (const auto& file : fixtures_in("config/warn")) {
        INFO(file.string());
        std::ostringstream out;
        std::ostringstream err;
        CHECK(lr::ctl::run_leadctl({"check", "--strict", "--config", file.string()}, out, err) ==
              1);
        CHECK(out.str().find("(rejected by --strict)") != std::string::npos);
    }
}

TEST_CASE("leadctl check on the specification's example: configuration OK, exit 0",
          "[check][fixtures]") {
    std::ostringstream out;
    std::ostringstream err;
    int rc = lr::ctl::run_leadctl({"check", "--strict", "--config",
                                   std::string(LEADROUTER_SPEC_DIR) + "/config-example.yaml"},
                                  out, err);
    CHECK(rc == 0);
    CHECK(out.str() == "configuration OK\n");
    CHECK(err.str().empty());
}

TEST_CASE("leadctl check --json lists errors and warnings with positions", "[check][fixtures]") {
    std::ostringstream out;
    std::ostringstream err;
    auto file = lr::test::fixture_path("config/broken/pool-and-groups.yaml");
    int rc = lr::ctl::run_leadctl({"check", "--json", "--config", file}, out, err);
    CHECK(rc == 1);
    const auto json = lr::Json::parse(out.str());
    CHECK(json["ok"] == false);
    REQUIRE(!json["errors"].empty());
    const auto& first = json["errors"][0];
    CHECK(first["file"] == file);
    CHECK(first["line"] == 13);
    CHECK(first["column"] == 21);
    CHECK(first["key"] == "dealers[d1].pool.enabled");
    CHECK(first["message"].get<std::string>().rfind("a pool cannot be combined", 0) == 0);
    CHECK(!json["warnings"].empty());
    CHECK(json["warnings"][0].contains("file"));
}

TEST_CASE("leadctl check: a missing file is an error naming it", "[check]") {
    std::ostringstream out;
    std::ostringstream err;
    CHECK(lr::ctl::run_leadctl({"check", "--config", "/nonexistent/leadrouter.yaml"}, out, err) ==
          1);
    CHECK(out.str().find("/nonexistent/leadrouter.yaml: error: cannot be read") !=
          std::string::npos);
}
