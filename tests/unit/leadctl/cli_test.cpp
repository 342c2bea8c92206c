#include "leadctl_run.hpp"

#include <catch2/catch.hpp>
#include <sstream>

namespace {

lr::test::CliRun leadctl(const std::vector<std::string>& args) {
    return lr::test::run_leadctl(args);
}

} // namespace

TEST_CASE("leadctl --help lists every command and exits 0", "[cli]") {
    auto run = leadctl({"--help"});
    CHECK(run.rc == 0);
    for (const char* command :
         {"check", "users", "leads", "why", "claim", "respond", "reassign", "close", "resubmit",
          "reply", "absence", "plan", "vehicles", "migrate"})
        CHECK(run.out.find(std::string("  ") + command + " ") != std::string::npos);
}

TEST_CASE("leadctl COMMAND --help shows that command's usage and options", "[cli]") {
    for (const char* command :
         {"check", "users", "leads", "why", "claim", "respond", "reassign", "close", "resubmit",
          "reply", "absence", "plan", "vehicles", "migrate"}) {
        INFO(command);
        auto run = leadctl({command, "--help"});
        CHECK(run.rc == 0);
        CHECK(run.out.rfind(std::string("usage: leadctl ") + command, 0) == 0);
        CHECK(run.out.find("--config FILE") != std::string::npos);
    }
}

TEST_CASE("usage errors exit 2 with a usage message", "[cli]") {
    auto nothing = leadctl({});
    CHECK(nothing.rc == 2);
    CHECK(nothing.err.find("usage: leadctl COMMAND") != std::string::npos);

    auto unknown = leadctl({"frobnicate"});
    CHECK(unknown.rc == 2);
    CHECK(unknown.err.rfind("leadctl: unknown command \"frobnicate\"", 0) == 0);

    auto bad_option = leadctl({"check", "--bogus"});
    CHECK(bad_option.rc == 2);
    CHECK(bad_option.err.rfind("leadctl check: unknown option --bogus", 0) == 0);
    CHECK(bad_option.err.find("usage: leadctl check") != std::string::npos);

    auto missing_value = leadctl({"users", "--dealer"});
    CHECK(missing_value.rc == 2);
    CHECK(missing_value.err.find("--dealer needs a value") != std::string::npos);

    auto stray = leadctl({"check", "extra"});
    CHECK(stray.rc == 2);

    auto vehicles = leadctl({"vehicles", "export"});
    CHECK(vehicles.rc == 2);
    CHECK(vehicles.err.find("usage: leadctl vehicles import") != std::string::npos);
}

TEST_CASE("a command that needs a dealer says which dealers exist", "[cli]") {
    auto run =
        leadctl({"users", "--config", std::string(LEADROUTER_SPEC_DIR) + "/config-example.yaml",
                 "--dealer", "schulz"});
    CHECK(run.rc == 1);
    CHECK(run.err.find("no dealer \"schulz\"") != std::string::npos);
    CHECK(run.err.find("(known: mueller)") != std::string::npos);
}
