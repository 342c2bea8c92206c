#include "leadctl_run.hpp"
#include "test_database.hpp"
#include "util/json.hpp"

#include <catch2/catch.hpp>
#include <sstream>

namespace {

lr::test::CliRun plan(std::vector<std::string> args,
                      const std::string& config = std::string(LEADROUTER_SPEC_DIR) +
                                                  "/config-example.yaml") {
    args.insert(args.begin(), {"plan", "--config", config});
    return lr::test::run_leadctl(args);
}

} // namespace

TEST_CASE("leadctl plan --received prints the §7 JSON with the dealer's offset", "[plan][cli]") {
    // Input in UTC; output in Europe/Berlin.
    auto run = plan({"--dealer", "mueller", "--received", "2026-12-04T14:00:00Z"});
    CHECK(run.rc == 0);
    CHECK(lr::Json::parse(run.out) ==
          lr::Json::parse("{\"received\": \"2026-12-04T15:00:00+01:00\",\n"
                          " \"reminder\": {\"due\": \"2026-12-05T09:30:00+01:00\", \"send\": "
                          "\"2026-12-05T09:30:00+01:00\"},\n"
                          " \"level1\": {\"due\": \"2026-12-05T10:00:00+01:00\", \"send\": "
                          "\"2026-12-05T10:00:00+01:00\"},\n"
                          " \"level2\": {\"due\": \"2026-12-05T14:00:00+01:00\", \"send\": "
                          "\"2026-12-07T08:00:00+01:00\"}}\n"));
}

TEST_CASE("leadctl plan --resubmission prints both resubmission events", "[plan][cli]") {
    auto run = plan({"--dealer", "mueller", "--resubmission", "2026-12-24T10:00"});
    CHECK(run.rc == 0);
    CHECK(lr::Json::parse(run.out) ==
          lr::Json::parse("{\"resubmission\": {\"due\": \"2026-12-24T10:00:00+01:00\", \"send\": "
                          "\"2026-12-25T08:00:00+01:00\"},\n"
                          " \"level2_resubmission\": {\"due\": \"2026-12-26T08:00:00+01:00\", "
                          "\"send\": \"2026-12-26T09:00:00+01:00\"}}\n"));
}

TEST_CASE("leadctl plan without working time exits 1 with a clear message", "[plan][cli]") {
    auto run = plan({"--dealer", "d1", "--received", "2026-12-23T09:30"},
                    lr::test::fixture_path("config/warn/no-working-hours.yaml"));
    CHECK(run.rc == 1);
    CHECK(run.err == "leadctl plan: dealer d1 has no working time at all (working_hours is "
                     "empty), so level 1 can never come due\n");
}

TEST_CASE("leadctl plan usage errors exit 2", "[plan][cli]") {
    CHECK(plan({"--dealer", "mueller"}).rc == 2);
    CHECK(plan({"--dealer", "mueller", "--received", "2026-12-23T09:30", "--resubmission",
                "2026-12-23T09:30"})
              .rc == 2);
    auto bad = plan({"--dealer", "mueller", "--received", "morgen"});
    CHECK(bad.rc == 2);
    CHECK(bad.err.rfind("leadctl plan: \"morgen\" is not an ISO 8601 time", 0) == 0);
}
