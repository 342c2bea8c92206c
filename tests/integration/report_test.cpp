// Issue #18 against the real PostgreSQL: the response-time report over a
// scripted October 2026 (a holiday on Friday the 23rd, the change from
// summer to winter time on Sunday the 25th) compared with figures this
// test computes on its own: business time by walking the month minute by
// minute through the calendar's is_open, level 1 as the minute at which
// two hours of it are used up, percentiles by nearest rank on its own
// sorted lists. Nothing here calls the report's arithmetic.
#include "config/loader.hpp"
#include "core/calendar.hpp"
#include "example_config.hpp"
#include "fake_smtp.hpp"
#include "leadctl_run.hpp"
#include "process.hpp"
#include "report_month.hpp"
#include "test_database.hpp"
#include "util/json.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <csignal>
#include <filesystem>
#include <unistd.h>

using namespace lr;
using namespace std::chrono_literals;
using std::chrono::seconds;

namespace {

// Nearest rank, written apart from report::percentiles.
std::optional<long long> rank(std::vector<long long> values, double p) {
    if (values.empty())
        return std::nullopt;
    std::sort(values.begin(), values.end());
    size_t k = static_cast<size_t>(std::ceil(p * static_cast<double>(values.size())));
    return values[std::max<size_t>(k, 1) - 1];
}

Json seconds_json(std::optional<long long> value) {
    return value ? Json(*value) : Json(nullptr);
}

// What the report must say about these leads, computed here.
Json expected_figures(const std::vector<const test::ScriptedLead*>& leads,
                      const core::BusinessCalendar& calendar) {
    std::vector<long long> business, wall, claim_business, claim_wall;
    long long answered = 0, before_reminder = 0, before_l1 = 0, before_l2 = 0;
    long long reminders = 0, level1 = 0, level2 = 0, pool = 0, claimed = 0, resubmissions = 0,
              escalated = 0;
    for (const auto* lead : leads) {
        reminders += lead->reminders;
        level1 += lead->level1_mails;
        level2 += lead->level2_mails;
        resubmissions += lead->resubmissions;
        escalated += lead->resubmissions_escalated;
        if (lead->pool) {
            ++pool;
            if (lead->claim_after) {
                ++claimed;
                const auto at = lead->received + *lead->claim_after;
                claim_wall.push_back(lead->claim_after->count());
                claim_business.push_back(
                    test::walked_business_seconds(calendar, lead->received, at));
            }
        }
        if (!lead->first_reaction())
            continue;
        ++answered;
        const core::Instant reacted = *lead->first_reaction();
        wall.push_back((reacted - lead->received).count());
        business.push_back(test::walked_business_seconds(calendar, lead->received, reacted));
        const core::Instant l1 = test::walked_level1(calendar, lead->received, 2h);
        const core::Instant reminder = l1 - 30min > lead->received ? l1 - 30min : l1;
        before_reminder += reacted < reminder;
        before_l1 += reacted < l1;
        before_l2 += reacted < l1 + 4h;
    }
    const auto received = static_cast<long long>(leads.size());
    auto share = [&](long long part) {
        return received ? Json(static_cast<double>(part) / static_cast<double>(received))
                        : Json(nullptr);
    };
    return Json{{"received", received},
                {"answered", answered},
                {"open", received - answered},
                {"reaction_business_median_s", seconds_json(rank(business, 0.5))},
                {"reaction_business_p90_s", seconds_json(rank(business, 0.9))},
                {"reaction_wall_median_s", seconds_json(rank(wall, 0.5))},
                {"reaction_wall_p90_s", seconds_json(rank(wall, 0.9))},
                {"answered_before_reminder", before_reminder},
                {"answered_before_level1", before_l1},
                {"answered_before_level2", before_l2},
                {"share_before_reminder", share(before_reminder)},
                {"share_before_level1", share(before_l1)},
                {"share_before_level2", share(before_l2)},
                {"reminders", reminders},
                {"level1_mails", level1},
                {"level2_mails", level2},
                {"pool_leads", pool},
                {"pool_claimed", claimed},
                {"claim_business_median_s", seconds_json(rank(claim_business, 0.5))},
                {"claim_wall_median_s", seconds_json(rank(claim_wall, 0.5))},
                {"resubmissions", resubmissions},
                {"resubmissions_kept", resubmissions - escalated},
                {"resubmissions_escalated", escalated}};
}

test::CliRun report(const test::TestDatabase& db, const std::string& config,
                    std::vector<std::string> more) {
    std::vector<std::string> args = {"report",      "--config", config,      "--database",
                                     db.conninfo(), "--dealer", "mueller",   "--from",
                                     "2026-10-01",  "--to",     "2026-10-31"};
    args.insert(args.end(), more.begin(), more.end());
    return test::run_leadctl(args);
}

} // namespace

TEST_CASE("report: a scripted October with a holiday and the change to winter time gives the "
          "figures computed independently, for the dealer and per user, source and kind",
          "[report]") {
    test::TestDatabase db;
    const std::string config = test::write_example_config(test::report_month_config());
    auto loaded = config::load_config_file(config);
    REQUIRE(loaded.config);
    const core::Dealer& dealer = *loaded.config->find_dealer("mueller");
    const core::BusinessCalendar& calendar = *dealer.calendar;
    const test::ScriptedMonth month = test::script_october(dealer);
    test::insert_month(db, month);
    // The script reaches the edges it is meant to: the DST weekend, the
    // holiday, answers after the deadlines, unanswered and pool leads.
    REQUIRE(month.in_period().size() >= 60);

    auto all = report(db, config, {"--format", "json"});
    INFO(all.err);
    REQUIRE(all.rc == 0);
    const Json json = Json::parse(all.out);
    CHECK(json["dealer"] == "mueller");
    CHECK(json["from"] == "2026-10-01");
    CHECK(json["to"] == "2026-10-31");
    CHECK(json["total"] == expected_figures(month.in_period(), calendar));
    CHECK(json["unassignable"] == Json{{"auto_reply", 2}, {"bounce", 3}, {"no_contact", 1}});

    for (const char* dimension : {"user", "source", "kind", "location"}) {
        auto by = report(db, config, {"--by", dimension, "--json"});
        REQUIRE(by.rc == 0);
        const Json groups = Json::parse(by.out)["groups"];
        std::map<std::string, std::vector<const test::ScriptedLead*>> expected;
        for (const auto* lead : month.in_period())
            expected[lead->group(dimension)].push_back(lead);
        REQUIRE(groups.size() == expected.size());
        for (const auto& group : groups) {
            INFO(dimension << " " << group["group"]);
            Json figures = group;
            figures.erase("group");
            CHECK(figures == expected_figures(expected.at(group["group"]), calendar));
        }
    }
}

TEST_CASE("report: the table and CSV say the same as the JSON, a spreadsheet reads no formula "
          "from a source name, and bad arguments are refused with a reason",
          "[report]") {
    test::TestDatabase db;
    const std::string config = test::write_example_config(test::report_month_config());
    auto loaded = config::load_config_file(config);
    REQUIRE(loaded.config);
    test::insert_month(db, test::script_october(*loaded.config->find_dealer("mueller")));
    // A stranger's form can name the source (lead-formats.md §3).
    db.exec("UPDATE leads SET source = '=HYPERLINK(\"http://x.example\",\"y\")' WHERE id = "
            "(SELECT min(id) FROM leads)");

    const Json json = Json::parse(report(db, config, {"--by", "source", "--json"}).out);
    auto csv = report(db, config, {"--by", "source", "--format", "csv"});
    REQUIRE(csv.rc == 0);
    std::vector<std::string> lines;
    for (size_t start = 0; start < csv.out.size();) {
        size_t end = csv.out.find("\r\n", start);
        REQUIRE(end != std::string::npos);
        lines.push_back(csv.out.substr(start, end - start));
        start = end + 2;
    }
    REQUIRE(lines.size() == json["groups"].size() + 2); // header, groups, all
    CHECK(lines.front().rfind("source,received,answered,open,", 0) == 0);
    CHECK(lines.back().rfind("all," + std::to_string(json["total"]["received"].get<long long>()) +
                                 "," + std::to_string(json["total"]["answered"].get<long long>()),
                             0) == 0);
    bool quoted_formula = false;
    for (const auto& line : lines) {
        CHECK(line.rfind("=", 0) == std::string::npos);
        quoted_formula |= line.rfind("\"'=HYPERLINK(\"\"http://x.example\"\",", 0) == 0;
    }
    CHECK(quoted_formula);

    auto table = report(db, config, {});
    REQUIRE(table.rc == 0);
    CHECK(table.out.find("Report mueller 2026-10-01 – 2026-10-31") != std::string::npos);
    CHECK(table.out.find("received") != std::string::npos);
    CHECK(table.out.find(std::to_string(json["total"]["received"].get<long long>())) !=
          std::string::npos);
    CHECK(table.out.find("Unassignable mail by reason") != std::string::npos);

    auto bad_date = report(db, config, {"--from", "2026-13-01"});
    CHECK(bad_date.rc == 2);
    CHECK(bad_date.err.find("--from and --to take dates") != std::string::npos);
    auto backwards =
        test::run_leadctl({"report", "--config", config, "--database", db.conninfo(), "--dealer",
                           "mueller", "--from", "2026-10-31", "--to", "2026-10-01"});
    CHECK(backwards.rc == 2);
    CHECK(backwards.err.find("is before --from") != std::string::npos);
    auto bad_by = report(db, config, {"--by", "'; DROP TABLE leads; --"});
    CHECK(bad_by.rc == 2);
    CHECK(bad_by.err.find("--by takes user, source, location or kind") != std::string::npos);
    auto stranger =
        test::run_leadctl({"report", "--config", config, "--database", db.conninfo(), "--dealer",
                           "nobody", "--from", "2026-10-01", "--to", "2026-10-31"});
    CHECK(stranger.rc == 1);
    CHECK(db.exec("SELECT count(*) FROM leads").integer(0, 0) > 0);
}
