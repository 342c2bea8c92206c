#include "core/zoned_time.hpp"

#include <catch2/catch.hpp>

using namespace lr::core;

namespace {
const date::time_zone* berlin() {
    return date::locate_zone("Europe/Berlin");
}
std::string round_trip(const char* text) {
    auto instant = parse_iso8601(text, berlin());
    REQUIRE(instant);
    return format_iso8601(*instant, berlin());
}
} // namespace

TEST_CASE("ISO 8601 in the dealer's zone: offsets, Z, local times, dates", "[zoned_time]") {
    CHECK(round_trip("2026-12-23T09:30:00+01:00") == "2026-12-23T09:30:00+01:00");
    CHECK(round_trip("2026-12-23T08:30:00Z") == "2026-12-23T09:30:00+01:00");
    CHECK(round_trip("2026-12-23T09:30") == "2026-12-23T09:30:00+01:00");
    CHECK(round_trip("2026-07-01 09:30:15") == "2026-07-01T09:30:15+02:00");
    CHECK(round_trip("2026-07-01T12:00:00-0400") == "2026-07-01T18:00:00+02:00");
    CHECK(round_trip("2026-12-24") == "2026-12-24T00:00:00+01:00");
    CHECK(format_iso8601(*parse_iso8601("2026-01-01T00:00:00Z", date::locate_zone("UTC")),
                         date::locate_zone("UTC")) == "2026-01-01T00:00:00+00:00");
}

TEST_CASE("§7: a local time in the spring-forward gap reads with the offset before it",
          "[zoned_time]") {
    // 2026-03-29 02:30 does not exist in Berlin: 02:30 +01:00 = 03:30 +02:00.
    CHECK(round_trip("2026-03-29T02:30") == "2026-03-29T03:30:00+02:00");
    CHECK(round_trip("2026-03-29T02:00") == "2026-03-29T03:00:00+02:00");
}

TEST_CASE("§7: an ambiguous local time in the fall-back hour is the earlier instant",
          "[zoned_time]") {
    CHECK(round_trip("2026-10-25T02:30") == "2026-10-25T02:30:00+02:00");
    CHECK(round_trip("2026-10-25T02:30+01:00") == "2026-10-25T02:30:00+01:00");
}

TEST_CASE("malformed ISO 8601 is rejected", "[zoned_time]") {
    for (const char* bad :
         {"", "2026-12-23T9:30", "2026-12-23T09:30:00+1", "2026-12-32", "2026-12-23T24:00",
          "2026-12-23T09:30:00 +01:00", "yesterday", "2026-12-23T09:30Zulu"}) {
        INFO(bad);
        CHECK_FALSE(parse_iso8601(bad, berlin()));
    }
}

TEST_CASE("the offset table agrees with date::tz every 15 minutes of 2026 and 2040, in zones "
          "with gaps, folds and 30-minute shifts",
          "[zoned_time]") {
    for (const char* name : {"Europe/Berlin", "America/New_York", "Asia/Jerusalem", "Africa/Cairo",
                             "Australia/Lord_Howe", "America/Santiago", "UTC"}) {
        const auto* zone = date::locate_zone(name);
        INFO(name);
        for (int year : {2026, 2040}) {
            auto start = date::local_days{date::year{year} / 1 / 1};
            for (int step = 0; step < 366 * 96; ++step) {
                LocalTime local = LocalTime{start} + std::chrono::minutes{15 * step};
                // The rule, straight from date::tz.
                auto info = zone->get_info(local);
                Instant expected{local.time_since_epoch() - info.first.offset};
                auto actual = local_to_instant(local, zone);
                if (actual != expected) {
                    INFO(date::format("%F %T", local));
                    REQUIRE(actual == expected);
                }
                if (utc_offset(actual, zone) != zone->get_info(actual).offset)
                    REQUIRE(utc_offset(actual, zone) == zone->get_info(actual).offset);
            }
        }
    }
}
