// The report's arithmetic (issue #18) on hand-made facts: nearest-rank
// percentiles, the deadlines a lead was answered before (a dealer without
// a reminder included), the pool and resubmission counts, the groups, the
// output formats and the day the monthly mail comes due.
#include "config/loader.hpp"
#include "report/charts.hpp"
#include "report/figures.hpp"
#include "report/monthly_report_run.hpp"
#include "report/report_output.hpp"
#include "test_database.hpp"

#include <catch2/catch.hpp>

using namespace lr;
using namespace std::chrono_literals;
using std::chrono::seconds;

namespace {

const std::string config_text = R"(system:
  database: "dbname=x"
  automanager_url: "https://am.example/leads/"
dealers:
  - id: d1
    locations: [{id: main, mailbox: d1@dein.auto}]
    working_hours: {mon: ["08:00-18:00"], tue: ["08:00-18:00"], wed: ["08:00-18:00"],
                    thu: ["08:00-18:00"], fri: ["08:00-18:00"]}
    escalation: {level1: 2h, reminder: 30m, level2: 4h}
    reports: {monthly: true, day: 1}
    admin_user: a
    users: [{id: a, email: a@d1.example, assignable: true},
            {id: b, name: "Bea", email: b@d1.example, receives_leads: true, assignable: true,
             supervisor: a}]
)";

core::Instant at(const char* text) {
    return *core::parse_iso8601(text, date::locate_zone("Europe/Berlin"));
}

report::LeadFacts lead(const char* received, std::optional<const char*> reacted,
                       std::string user = "b", std::string source = "website") {
    report::LeadFacts facts;
    facts.received = at(received);
    if (reacted)
        facts.first_reaction = at(*reacted);
    facts.assignee = std::move(user);
    facts.source = std::move(source);
    facts.kind = "lead";
    return facts;
}

} // namespace

TEST_CASE("percentiles by nearest rank: the value at rank ceil(p*n)", "[report]") {
    CHECK_FALSE(report::percentiles({}).median);
    auto one = report::percentiles({seconds{7}});
    CHECK(*one.median == seconds{7});
    CHECK(*one.p90 == seconds{7});
    auto two = report::percentiles({seconds{9}, seconds{1}});
    CHECK(*two.median == seconds{1});
    CHECK(*two.p90 == seconds{9});
    std::vector<seconds> ten;
    for (int i = 10; i >= 1; --i)
        ten.push_back(seconds{i});
    CHECK(*report::percentiles(ten).median == seconds{5});
    CHECK(*report::percentiles(ten).p90 == seconds{9});
}

TEST_CASE("a lead counts before the reminder, level 1 and level 2 by its own deadlines, in "
          "business time from its receipt",
          "[report]") {
    auto loaded = config::load_config_text(config_text, "r.yaml");
    REQUIRE(loaded.config);
    const auto& dealer = loaded.config->dealers[0];
    // Received Monday 09:00: reminder 10:30, level 1 11:00, level 2 15:00.
    const std::vector<report::LeadFacts> leads = {
        lead("2026-11-02T09:00", "2026-11-02T10:29"), // before all three
        lead("2026-11-02T09:00", "2026-11-02T10:30"), // at the reminder: after it
        lead("2026-11-02T09:00", "2026-11-02T14:59"), // before level 2 only
        lead("2026-11-02T09:00", "2026-11-02T15:00"), // after all
        lead("2026-11-02T09:00", std::nullopt),       // open
        // Friday 17:30: the reminder is Monday 09:00, level 1 09:30;
        // answered Monday 08:45 is 75 minutes of business time and 63¼
        // hours on the clock.
        lead("2026-11-06T17:30", "2026-11-09T08:45", "a", "mobile.de"),
    };
    auto report = report::compute_report(dealer, *dealer.calendar, leads, report::Dimension::user);
    const auto& total = report.total;
    CHECK(total.received == 6);
    CHECK(total.answered == 5);
    CHECK(total.open == 1);
    CHECK(total.before_reminder == 2);
    CHECK(total.before_level1 == 3);
    CHECK(total.before_level2 == 4);
    CHECK(total.business_reactions == std::vector<seconds>{89min, 90min, 359min, 6h, 75min});
    CHECK(*total.business.median == 90min);
    CHECK(*total.wall.p90 == seconds{63 * 3600 + 15 * 60});
    REQUIRE(report.groups.size() == 2);
    CHECK(report.groups[0].group == "a");
    CHECK(report.groups[0].received == 1);
    CHECK(report.groups[1].group == "b");
    CHECK(report.groups[1].open == 1);

    // Without a reminder, "before the reminder" is "before level 1".
    core::Dealer quiet = dealer;
    quiet.escalation.reminder = 0s;
    auto without = report::compute_report(quiet, *dealer.calendar, leads, report::Dimension::none);
    CHECK(without.total.before_reminder == without.total.before_level1);
    CHECK_FALSE(without.total.has_reminder);
    CHECK(without.groups.empty());
}

TEST_CASE("pool leads, claims and resubmissions are counted per lead", "[report]") {
    auto loaded = config::load_config_text(config_text, "r.yaml");
    REQUIRE(loaded.config);
    const auto& dealer = loaded.config->dealers[0];
    auto pooled = lead("2026-11-02T09:00", std::nullopt, "pool");
    pooled.pool = true;
    auto claimed = lead("2026-11-02T09:00", "2026-11-02T10:00");
    claimed.pool = true;
    claimed.claimed = at("2026-11-02T09:20");
    claimed.resubmissions = 2;
    claimed.resubmissions_escalated = 1;
    claimed.reminders = 1;
    claimed.level2_mails = 1;
    auto report = report::compute_report(dealer, *dealer.calendar, {pooled, claimed},
                                         report::Dimension::none);
    CHECK(report.total.pool_leads == 2);
    CHECK(report.total.pool_claimed == 1);
    CHECK(*report.total.claim_wall.median == 20min);
    CHECK(*report.total.claim_business.median == 20min);
    CHECK(report.total.resubmissions == 2);
    CHECK(report.total.resubmissions_kept == 1);
    CHECK(report.total.resubmissions_escalated == 1);
    CHECK(report.total.reminders == 1);
    CHECK(report.total.level2_mails == 1);
}

TEST_CASE("durations and shares as people read them", "[report]") {
    CHECK(report::duration_text(std::nullopt) == "-");
    CHECK(report::duration_text(seconds{29}) == "0 min");
    CHECK(report::duration_text(45min) == "45 min");
    CHECK(report::duration_text(3h + 5min) == "3 h 05 min");
    CHECK(report::duration_text(51h) == "2 d 03 h");
    CHECK(report::percent(1, 3) == "33.3");
    CHECK(report::percent(0, 0) == "-");
    CHECK(report::dimension_named("user") == report::Dimension::user);
    CHECK_FALSE(report::dimension_named("dealer"));
    CHECK_FALSE(report::format_named("xml"));
}

TEST_CASE("the monthly report comes due at the first opening on its day, about the month before",
          "[report]") {
    auto loaded = config::load_config_text(config_text, "r.yaml");
    REQUIRE(loaded.config);
    // 1 November 2026 is a Sunday: due from Monday 2 November, 08:00.
    CHECK(report::due_reports(*loaded.config, at("2026-11-01T12:00")).empty());
    CHECK(report::due_reports(*loaded.config, at("2026-11-02T07:59:59")).empty());
    auto due = report::due_reports(*loaded.config, at("2026-11-02T08:00"));
    REQUIRE(due.size() == 1);
    CHECK(due[0].dealer_id == "d1");
    CHECK(due[0].month == date::year{2026} / date::October);
    // Later in the month it is still due (a daemon that was down catches up).
    CHECK(report::due_reports(*loaded.config, at("2026-11-30T23:00"))[0].month ==
          date::year{2026} / date::October);
    // January reports on December of the year before.
    CHECK(report::due_reports(*loaded.config, at("2027-01-04T09:00"))[0].month ==
          date::year{2026} / date::December);
    auto off = config::load_config_text(config_text, "r.yaml");
    REQUIRE(off.config);
    auto config = *off.config;
    config.dealers[0].reports.enabled = false;
    CHECK(report::due_reports(config, at("2026-11-02T09:00")).empty());
}

TEST_CASE("the reaction chart's buckets: quarters of level 1 up to three times it, then later",
          "[report]") {
    auto buckets = report::reaction_buckets({0s, 29min, 30min, 119min, 2h, 6h, 100h}, 2h);
    REQUIRE(buckets.upper.size() == 12);
    CHECK(buckets.upper.front() == 30min);
    CHECK(buckets.upper.back() == 6h);
    REQUIRE(buckets.counts.size() == 13);
    CHECK(buckets.counts[0] == 2);  // 0 and 29 min
    CHECK(buckets.counts[1] == 1);  // 30 min
    CHECK(buckets.counts[3] == 1);  // 119 min, just before the deadline
    CHECK(buckets.counts[4] == 1);  // 2 h, at it
    CHECK(buckets.counts[12] == 2); // 6 h and later
}
