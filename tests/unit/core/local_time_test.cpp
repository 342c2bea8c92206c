#include "core/local_time.hpp"

#include <catch2/catch.hpp>

using namespace lr::core;

TEST_CASE("times of day: HH:MM, 24:00 only as an end", "[local_time]") {
    CHECK(parse_time_of_day("08:00")->minutes == 480);
    CHECK(parse_time_of_day("8:30")->minutes == 510);
    CHECK(parse_time_of_day("23:59")->minutes == 1439);
    CHECK_FALSE(parse_time_of_day("24:00"));
    CHECK(parse_time_of_day("24:00", true)->minutes == 1440);
    for (const char* bad : {"24:01", "25:00", "12:60", "1200", "12:5", "ab:cd", "", ":30"}) {
        INFO(bad);
        CHECK_FALSE(parse_time_of_day(bad, true));
    }
}

TEST_CASE("working intervals: start before end, 24:00 is a valid end", "[local_time]") {
    auto interval = parse_work_interval("08:00-12:30");
    REQUIRE(interval.interval);
    CHECK(interval.interval->start.minutes == 480);
    CHECK(interval.interval->end.minutes == 750);
    CHECK(parse_work_interval("18:00-24:00").interval->end.minutes == 1440);
    CHECK(parse_work_interval(" 08:00 - 12:00 ").interval);

    CHECK(parse_work_interval("12:00-08:00").problem == "ends before it starts");
    CHECK(parse_work_interval("12:00-12:00").problem == "ends before it starts");
    CHECK_FALSE(parse_work_interval("8-18").interval);
    CHECK_FALSE(parse_work_interval("08:00").interval);
    CHECK(format_work_interval(*parse_work_interval("08:00-24:00").interval) == "08:00-24:00");
}

TEST_CASE("dates are real calendar dates in YYYY-MM-DD", "[local_time]") {
    auto day = parse_date("2026-12-24");
    REQUIRE(day);
    CHECK(format_date(*day) == "2026-12-24");
    CHECK(parse_date("2028-02-29"));
    for (const char* bad : {"2026-02-30", "2027-02-29", "2026-13-01", "2026-1-01", "24.12.2026",
                            "2026/12/24", "2026-12-24T00:00"}) {
        INFO(bad);
        CHECK_FALSE(parse_date(bad));
    }
}
