#include "core/duration.hpp"

#include <catch2/catch.hpp>

using lr::core::format_duration;
using lr::core::parse_duration;
using namespace std::chrono_literals;

TEST_CASE("durations are written d, h, m combined in that order", "[duration]") {
    struct Row {
        const char* text;
        std::chrono::seconds expected;
    };
    const Row rows[] = {{"90m", 90min},         {"2h", 2h},    {"1d", 24h},
                        {"1h30m", 90min},       {"1d5h", 29h}, {"0", 0s},
                        {"1d2h3m", 26h + 3min}, {"48h", 48h},  {"0m", 0s}};
    for (const auto& row : rows) {
        INFO(row.text);
        auto parsed = parse_duration(row.text);
        REQUIRE(parsed);
        CHECK(*parsed == row.expected);
    }
}

TEST_CASE("durations out of order, without unit or in words are rejected", "[duration]") {
    for (const char* text : {"", "2", "2 hours", "30m1h", "1h1h", "h", "1.5h", "-1h", "1s", "2H",
                             "1h 30m", "99999999999999999999h"}) {
        INFO(text);
        CHECK_FALSE(parse_duration(text));
    }
}

TEST_CASE("durations are printed the way they are written", "[duration]") {
    CHECK(format_duration(0s) == "0");
    CHECK(format_duration(90min) == "1h30m");
    CHECK(format_duration(26h + 3min) == "1d2h3m");
    CHECK(format_duration(45s) == "45s");
}
