// SPEC §7's tables, row by row, on the example configuration (Mon 08:00-12:30
// and 13:30-18:00, Tue-Thu 08:00-18:00, Fri 08:00-16:00, Sat 09:00-13:00;
// holidays 2026-12-24 and 2026-12-27..31; level1 2h, reminder 30m, level2 4h,
// level2_resubmission 24h; Europe/Berlin).
#include "config/loader.hpp"
#include "core/escalation_plan.hpp"
#include "example_config.hpp"
#include "views/json_views.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

using namespace lr;
using namespace lr::core;

namespace {

std::shared_ptr<const Config> example(const std::string& replace_from = "",
                                      const std::string& replace_to = "") {
    lr::test::Replacements replacements;
    if (!replace_from.empty())
        replacements.emplace_back(replace_from, replace_to);
    auto loaded =
        config::load_config_text(lr::test::example_config_text(replacements), "example.yaml");
    REQUIRE(loaded.config);
    return loaded.config;
}

const date::time_zone* berlin() {
    return date::locate_zone("Europe/Berlin");
}
Instant at(const char* text) {
    auto instant = parse_iso8601(text, berlin());
    REQUIRE(instant);
    return *instant;
}
std::string iso(Instant instant) {
    return format_iso8601(instant, berlin());
}

struct Row {
    const char* name;
    const char* received;
    const char* reminder_due; // "" when none
    const char* reminder_send;
    const char* level1;
    const char* level2_due;
    const char* level2_send;
};

void check_rows(const Config& config, std::initializer_list<Row> rows) {
    const Dealer& dealer = config.dealers[0];
    BusinessCalendar calendar(dealer);
    for (const auto& row : rows) {
        INFO(row.name);
        auto plan = plan_received(dealer, calendar, at(row.received));
        REQUIRE(plan);
        if (*row.reminder_due) {
            REQUIRE(plan->reminder);
            CHECK(iso(plan->reminder->due) == row.reminder_due);
            CHECK(iso(plan->reminder->send) == row.reminder_send);
        } else {
            CHECK_FALSE(plan->reminder);
        }
        CHECK(iso(plan->level1.due) == row.level1);
        CHECK(iso(plan->level1.send) == row.level1); // level 1 goes out at L1 itself
        CHECK(iso(plan->level2.due) == row.level2_due);
        CHECK(iso(plan->level2.send) == row.level2_send);
    }
}

} // namespace

TEST_CASE("§7 table: reminder, level 1 and level 2 within one working day", "[plan]") {
    check_rows(
        *example(),
        {{"Wednesday morning", "2026-12-02T09:30", "2026-12-02T11:00:00+01:00",
          "2026-12-02T11:00:00+01:00", "2026-12-02T11:30:00+01:00", "2026-12-02T15:30:00+01:00",
          "2026-12-02T15:30:00+01:00"},
         {"Monday: level 1 counts around the lunch break", "2026-12-07T11:45",
          "2026-12-07T14:15:00+01:00", "2026-12-07T14:15:00+01:00", "2026-12-07T14:45:00+01:00",
          "2026-12-07T18:45:00+01:00", "2026-12-08T08:00:00+01:00"},
         {"received before opening: counted from 08:00", "2026-12-08T06:00",
          "2026-12-08T09:30:00+01:00", "2026-12-08T09:30:00+01:00", "2026-12-08T10:00:00+01:00",
          "2026-12-08T14:00:00+01:00", "2026-12-08T14:00:00+01:00"}});
}

TEST_CASE("§7 table: Friday-to-Saturday and Saturday-to-Monday carry-overs", "[plan]") {
    check_rows(
        *example(),
        {{"Friday 15:00 carries to Saturday; level 2 waits for Monday", "2026-12-04T15:00",
          "2026-12-05T09:30:00+01:00", "2026-12-05T09:30:00+01:00", "2026-12-05T10:00:00+01:00",
          "2026-12-05T14:00:00+01:00", "2026-12-07T08:00:00+01:00"},
         {"Saturday 12:00 carries to Monday; level 2 in the lunch break waits for 13:30",
          "2026-12-05T12:00", "2026-12-07T08:30:00+01:00", "2026-12-07T08:30:00+01:00",
          "2026-12-07T09:00:00+01:00", "2026-12-07T13:00:00+01:00", "2026-12-07T13:30:00+01:00"},
         {"received on Sunday: counted from Monday 08:00", "2026-12-06T10:00",
          "2026-12-07T09:30:00+01:00", "2026-12-07T09:30:00+01:00", "2026-12-07T10:00:00+01:00",
          "2026-12-07T14:00:00+01:00", "2026-12-07T14:00:00+01:00"}});
}

TEST_CASE("§7: level 1 at the very end of an interval is sent at L1 itself", "[plan]") {
    check_rows(*example(), {{"Friday 14:00 + 2h = 16:00, closing time", "2026-12-04T14:00",
                             "2026-12-04T15:30:00+01:00", "2026-12-04T15:30:00+01:00",
                             "2026-12-04T16:00:00+01:00", "2026-12-04T20:00:00+01:00",
                             "2026-12-05T09:00:00+01:00"}});
}

TEST_CASE("§7: a reminder due outside working hours waits for next_open", "[plan]") {
    check_rows(
        *example(),
        {{"Friday 14:15: L1 Saturday 09:15, reminder due 08:45 goes out at 09:00",
          "2026-12-04T14:15", "2026-12-05T08:45:00+01:00", "2026-12-05T09:00:00+01:00",
          "2026-12-05T09:15:00+01:00", "2026-12-05T13:15:00+01:00", "2026-12-07T08:00:00+01:00"}});
}

TEST_CASE("§7: a reminder not after the receipt is dropped", "[plan]") {
    auto config = example("reminder: 30m ", "reminder: 3h ");
    check_rows(*config,
               {{"L1 − 3h lies before r", "2026-12-02T09:30", "", "", "2026-12-02T11:30:00+01:00",
                 "2026-12-02T15:30:00+01:00", "2026-12-02T15:30:00+01:00"}});
    auto none = example("reminder: 30m ", "reminder: 0 ");
    check_rows(*none,
               {{"reminder 0 means none", "2026-12-02T09:30", "", "", "2026-12-02T11:30:00+01:00",
                 "2026-12-02T15:30:00+01:00", "2026-12-02T15:30:00+01:00"}});
}

TEST_CASE("§7: holidays and company vacation have no working time", "[plan]") {
    check_rows(
        *example(),
        {{"23 Dec 17:00: 1h, then the 24th is a holiday, on at the 25th (a Friday)",
          "2026-12-23T17:00", "2026-12-25T08:30:00+01:00", "2026-12-25T08:30:00+01:00",
          "2026-12-25T09:00:00+01:00", "2026-12-25T13:00:00+01:00", "2026-12-25T13:00:00+01:00"},
         {"26 Dec 12:30: 30 min, Betriebsferien 27-31, on at 1 Jan", "2026-12-26T12:30",
          "2027-01-01T09:00:00+01:00", "2027-01-01T09:00:00+01:00", "2027-01-01T09:30:00+01:00",
          "2027-01-01T13:30:00+01:00", "2027-01-01T13:30:00+01:00"}});
}

TEST_CASE("§7: with public_holidays DE-HH, New Year is not working time", "[plan]") {
    auto config = example("    timezone: Europe/Berlin\n",
                          "    timezone: Europe/Berlin\n    public_holidays: DE-HH\n");
    check_rows(*config, {{"26 Dec (2. Weihnachtstag), vacation, 1 Jan (Neujahr): all of level 1 on "
                          "Saturday 2 Jan",
                          "2026-12-26T12:30", "2027-01-02T10:30:00+01:00",
                          "2027-01-02T10:30:00+01:00", "2027-01-02T11:00:00+01:00",
                          "2027-01-02T15:00:00+01:00", "2027-01-04T08:00:00+01:00"}});
}

TEST_CASE("§7: level 2 runs on the wall clock through Sunday", "[plan]") {
    auto config = example("level2: 4h ", "level2: 24h ");
    check_rows(*config, {{"L1 Saturday 12:30 + 24h = Sunday 12:30, sent Monday 08:00",
                          "2026-12-05T10:30", "2026-12-05T12:00:00+01:00",
                          "2026-12-05T12:00:00+01:00", "2026-12-05T12:30:00+01:00",
                          "2026-12-06T12:30:00+01:00", "2026-12-07T08:00:00+01:00"}});
}

TEST_CASE("§7: DST weeks in Europe/Berlin: level 1 in working time, level 2 in real hours",
          "[plan]") {
    auto config = example("level2: 4h ", "level2: 24h ");
    check_rows(
        *config,
        {{"spring forward: L1 Saturday 28 March 10:00, +24h lands at 11:00 summer time",
          "2026-03-27T15:00", "2026-03-28T09:30:00+01:00", "2026-03-28T09:30:00+01:00",
          "2026-03-28T10:00:00+01:00", "2026-03-29T11:00:00+02:00", "2026-03-30T08:00:00+02:00"},
         {"fall back: L1 Saturday 24 October 10:00, +24h lands at 09:00 winter time",
          "2026-10-23T15:00", "2026-10-24T09:30:00+02:00", "2026-10-24T09:30:00+02:00",
          "2026-10-24T10:00:00+02:00", "2026-10-25T09:00:00+01:00", "2026-10-26T08:00:00+01:00"}});
}

TEST_CASE("§7 resubmission table: respecting hours waits for next_open", "[plan]") {
    auto config = example();
    const Dealer& dealer = config->dealers[0];
    BusinessCalendar calendar(dealer);
    auto plan = plan_resubmission(dealer, calendar, at("2026-12-05T14:00"));
    REQUIRE(plan);
    CHECK(iso(plan->resubmission.due) == "2026-12-05T14:00:00+01:00");
    CHECK(iso(plan->resubmission.send) == "2026-12-07T08:00:00+01:00");
    CHECK(iso(plan->level2_resubmission.due) == "2026-12-08T08:00:00+01:00");
    CHECK(iso(plan->level2_resubmission.send) == "2026-12-08T08:00:00+01:00");
}

TEST_CASE("§7 resubmission table: not respecting hours sends at the due times", "[plan]") {
    auto config =
        example("resubmission_respects_hours: true", "resubmission_respects_hours: false");
    const Dealer& dealer = config->dealers[0];
    BusinessCalendar calendar(dealer);
    auto plan = plan_resubmission(dealer, calendar, at("2026-12-05T14:00"));
    REQUIRE(plan);
    CHECK(iso(plan->resubmission.send) == "2026-12-05T14:00:00+01:00");
    CHECK(iso(plan->level2_resubmission.due) == "2026-12-06T14:00:00+01:00");
    CHECK(iso(plan->level2_resubmission.send) == "2026-12-06T14:00:00+01:00");
}

TEST_CASE("§7: no working time at all is an error, never a hang", "[plan]") {
    auto config = example(
        R"(    working_hours:                  # Monday..Saturday; Sunday is never working time
      mon: ["08:00-12:30", "13:30-18:00"]
      tue: ["08:00-18:00"]
      wed: ["08:00-18:00"]
      thu: ["08:00-18:00"]
      fri: ["08:00-16:00"]
      sat: ["09:00-13:00"]
)",
        "");
    const Dealer& dealer = config->dealers[0];
    BusinessCalendar calendar(dealer);
    auto plan = plan_received(dealer, calendar, at("2026-12-02T09:30"));
    REQUIRE_FALSE(plan);
    CHECK(plan.error().message == "dealer mueller has no working time at all (working_hours is "
                                  "empty), so level 1 can never come due");
}

TEST_CASE("plan JSON has the spec's shape with ±HH:MM offsets", "[plan]") {
    auto config = example();
    const Dealer& dealer = config->dealers[0];
    BusinessCalendar calendar(dealer);
    auto plan = plan_received(dealer, calendar, at("2026-12-02T08:30:00Z"));
    REQUIRE(plan);
    CHECK(views::plan_json(*plan, berlin()) ==
          Json::parse("{\"received\": \"2026-12-02T09:30:00+01:00\",\n"
                      " \"reminder\": {\"due\": \"2026-12-02T11:00:00+01:00\", \"send\": "
                      "\"2026-12-02T11:00:00+01:00\"},\n"
                      " \"level1\": {\"due\": \"2026-12-02T11:30:00+01:00\", \"send\": "
                      "\"2026-12-02T11:30:00+01:00\"},\n"
                      " \"level2\": {\"due\": \"2026-12-02T15:30:00+01:00\", \"send\": "
                      "\"2026-12-02T15:30:00+01:00\"}}"));
}
