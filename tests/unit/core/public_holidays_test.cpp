// Against the published lists of statutory holidays (gesetzliche Feiertage).
#include "core/public_holidays.hpp"

#include <catch2/catch.hpp>

using namespace lr::core;

namespace {
std::vector<std::string> dates(const char* region, int year) {
    std::vector<std::string> out;
    for (const auto& holiday : public_holidays(region, year))
        out.push_back(date::format("%F", holiday.day));
    return out;
}
} // namespace

TEST_CASE("Easter Sunday for known years", "[holidays]") {
    CHECK(date::format("%F", easter_sunday(2024)) == "2024-03-31");
    CHECK(date::format("%F", easter_sunday(2025)) == "2025-04-20");
    CHECK(date::format("%F", easter_sunday(2026)) == "2026-04-05");
    CHECK(date::format("%F", easter_sunday(2027)) == "2027-03-28");
    CHECK(date::format("%F", easter_sunday(2038)) == "2038-04-25");
    CHECK(date::format("%F", easter_sunday(2285)) == "2285-03-22");
}

TEST_CASE("Hamburg 2026", "[holidays]") {
    CHECK(dates("DE-HH", 2026) == std::vector<std::string>{"2026-01-01", "2026-04-03", "2026-04-06",
                                                           "2026-05-01", "2026-05-14", "2026-05-25",
                                                           "2026-10-03", "2026-10-31", "2026-12-25",
                                                           "2026-12-26"});
}

TEST_CASE("Bavaria 2026 (statewide only)", "[holidays]") {
    CHECK(dates("DE-BY", 2026) ==
          std::vector<std::string>{"2026-01-01", "2026-01-06", "2026-04-03", "2026-04-06",
                                   "2026-05-01", "2026-05-14", "2026-05-25", "2026-06-04",
                                   "2026-10-03", "2026-11-01", "2026-12-25", "2026-12-26"});
}

TEST_CASE("Saxony 2025 with Buß- und Bettag", "[holidays]") {
    CHECK(dates("DE-SN", 2025) == std::vector<std::string>{"2025-01-01", "2025-04-18", "2025-04-21",
                                                           "2025-05-01", "2025-05-29", "2025-06-09",
                                                           "2025-10-03", "2025-10-31", "2025-11-19",
                                                           "2025-12-25", "2025-12-26"});
    CHECK(dates("DE-SN", 2024)[8] == "2024-11-20");
    CHECK(dates("DE-SN", 2022)[8] == "2022-11-16"); // 23 November 2022 was a Wednesday
}

TEST_CASE("Berlin 2026 with Frauentag, Berlin 2018 without it", "[holidays]") {
    CHECK(dates("DE-BE", 2026) == std::vector<std::string>{"2026-01-01", "2026-03-08", "2026-04-03",
                                                           "2026-04-06", "2026-05-01", "2026-05-14",
                                                           "2026-05-25", "2026-10-03", "2026-12-25",
                                                           "2026-12-26"});
    CHECK(dates("DE-BE", 2018).size() == 9);
}

TEST_CASE("Saarland 2024 with Mariä Himmelfahrt, Thuringia with Weltkindertag", "[holidays]") {
    CHECK(dates("DE-SL", 2024) ==
          std::vector<std::string>{"2024-01-01", "2024-03-29", "2024-04-01", "2024-05-01",
                                   "2024-05-09", "2024-05-20", "2024-05-30", "2024-08-15",
                                   "2024-10-03", "2024-11-01", "2024-12-25", "2024-12-26"});
    auto thuringia = dates("DE-TH", 2024);
    CHECK(std::find(thuringia.begin(), thuringia.end(), "2024-09-20") != thuringia.end());
    CHECK(std::find(thuringia.begin(), thuringia.end(), "2024-10-31") != thuringia.end());
}

TEST_CASE("nationwide: nine holidays, and 2017's Reformationstag", "[holidays]") {
    CHECK(dates("DE", 2026).size() == 9);
    auto y2017 = dates("DE", 2017);
    CHECK(std::find(y2017.begin(), y2017.end(), "2017-10-31") != y2017.end());
}

TEST_CASE("region codes", "[holidays]") {
    CHECK(is_public_holiday_region("DE"));
    CHECK(is_public_holiday_region("DE-NW"));
    CHECK_FALSE(is_public_holiday_region("DE-XX"));
    CHECK_FALSE(is_public_holiday_region("de-hh"));
    CHECK_FALSE(is_public_holiday_region("AT"));
    CHECK(public_holidays("AT", 2026).empty());
}
