// The business-time calendar (SPEC §7): DST edges on working days, 24:00,
// touching and overlapping intervals, holidays, and a randomized comparison
// with a slow minute-stepping reference.
#include "core/calendar.hpp"

#include <catch2/catch.hpp>
#include <random>
#include <unordered_map>

using namespace lr::core;
using std::chrono::hours;
using std::chrono::minutes;

namespace {

WorkInterval span(const char* text) {
    return *parse_work_interval(text).interval;
}

// Hours on one weekday (0 = Monday … 5 = Saturday).
BusinessCalendar calendar_with(const char* zone, unsigned weekday,
                               std::vector<const char*> intervals,
                               std::vector<Holiday> holidays = {}) {
    WeekHours week;
    for (const char* text : intervals)
        week[weekday].push_back(span(text));
    return BusinessCalendar(week, holidays, std::nullopt, date::locate_zone(zone));
}

Instant at(const char* text, const char* zone) {
    auto instant = parse_iso8601(text, date::locate_zone(zone));
    REQUIRE(instant);
    return *instant;
}

std::string iso(std::optional<Instant> instant, const char* zone) {
    REQUIRE(instant);
    return format_iso8601(*instant, date::locate_zone(zone));
}

} // namespace

TEST_CASE("DST gap on a working day (Jerusalem, Friday 27 March 2026, 02:00 → 03:00): a start "
          "in the gap reads with the offset before it",
          "[calendar]") {
    const char* zone = "Asia/Jerusalem";
    auto calendar = calendar_with(zone, 4, {"02:30-05:00"});
    // 02:30 +02:00 is 03:30 +03:00: 1h30 of working time that Friday.
    CHECK(iso(calendar.next_open(at("2026-03-27T01:00", zone)), zone) ==
          "2026-03-27T03:30:00+03:00");
    CHECK(iso(calendar.business_add(at("2026-03-27T00:00", zone), hours{1}), zone) ==
          "2026-03-27T04:30:00+03:00");
    CHECK(iso(calendar.business_add(at("2026-03-27T00:00", zone), minutes{90}), zone) ==
          "2026-03-27T05:00:00+03:00");
    // The next 30 minutes are a week later, in summer time throughout.
    CHECK(iso(calendar.business_add(at("2026-03-27T00:00", zone), hours{2}), zone) ==
          "2026-04-03T03:00:00+03:00");
}

TEST_CASE("an interval emptied by the DST rule has no working time", "[calendar]") {
    const char* zone = "Asia/Jerusalem";
    // 02:30 → 03:30 summer time, 03:00 stays 03:00: the end is before the start.
    auto calendar = calendar_with(zone, 4, {"02:30-03:00"});
    CHECK(calendar.intervals_of(date::local_days{date::year{2026} / 3 / 27}).empty());
    CHECK(calendar.intervals_of(date::local_days{date::year{2026} / 4 / 3}).size() == 1);
    CHECK(iso(calendar.next_open(at("2026-03-27T00:00", zone)), zone) ==
          "2026-04-03T02:30:00+03:00");
}

TEST_CASE("intervals overlapping after the DST conversion count once (Cairo, Friday 24 April "
          "2026, 00:00 → 01:00)",
          "[calendar]") {
    const char* zone = "Africa/Cairo";
    // 00:00-00:30 lies in the gap: 01:00-01:30 summer time, inside 01:00-02:00.
    auto calendar = calendar_with(zone, 4, {"00:00-00:30", "01:00-02:00"});
    auto intervals = calendar.intervals_of(date::local_days{date::year{2026} / 4 / 24});
    REQUIRE(intervals.size() == 1);
    CHECK(format_iso8601(intervals[0].first, date::locate_zone(zone)) ==
          "2026-04-24T01:00:00+03:00");
    CHECK(intervals[0].second - intervals[0].first == hours{1});
    CHECK(iso(calendar.business_add(at("2026-04-23T12:00", zone), hours{1}), zone) ==
          "2026-04-24T02:00:00+03:00");
}

TEST_CASE("fall-back on a working day (Cairo, Thursday 29 October 2026, 24:00 → 23:00): the "
          "interval keeps its date and counts real time",
          "[calendar]") {
    const char* zone = "Africa/Cairo";
    auto calendar = calendar_with(zone, 3, {"22:00-24:00"});
    // 22:00 +03:00 to 24:00 +02:00 is three real hours.
    auto day = calendar.intervals_of(date::local_days{date::year{2026} / 10 / 29});
    REQUIRE(day.size() == 1);
    CHECK(day[0].second - day[0].first == hours{3});
    CHECK(iso(calendar.business_add(at("2026-10-29T22:00", zone), hours{3}), zone) ==
          "2026-10-30T00:00:00+02:00");
    // An ambiguous 23:30 is the earlier instant, inside working time.
    CHECK(calendar.is_open(at("2026-10-29T23:30", zone)));
    CHECK(iso(calendar.business_add(at("2026-10-29T23:30", zone), minutes{30}), zone) ==
          "2026-10-29T23:00:00+02:00");
}

TEST_CASE("24:00 ends a day, touching intervals run on without a gap", "[calendar]") {
    WeekHours week;
    week[0] = {span("08:00-12:00"), span("12:00-18:00"), span("18:00-24:00")};
    week[1] = {span("00:00-02:00")};
    BusinessCalendar calendar(week, {}, std::nullopt, date::locate_zone("Europe/Berlin"));
    const char* zone = "Europe/Berlin";
    CHECK(iso(calendar.business_add(at("2026-12-07T11:00", zone), hours{2}), zone) ==
          "2026-12-07T13:00:00+01:00");
    CHECK(iso(calendar.business_add(at("2026-12-07T23:00", zone), hours{2}), zone) ==
          "2026-12-08T01:00:00+01:00");
    CHECK(iso(calendar.next_open(at("2026-12-08T01:30", zone)), zone) ==
          "2026-12-08T01:30:00+01:00");
    CHECK(iso(calendar.next_open(at("2026-12-08T02:00", zone)), zone) ==
          "2026-12-14T08:00:00+01:00");
}

TEST_CASE("business_add(t, 0) = t, even outside working time", "[calendar]") {
    auto calendar = calendar_with("Europe/Berlin", 0, {"08:00-18:00"});
    auto t = at("2026-12-06T03:00", "Europe/Berlin");
    CHECK(calendar.business_add(t, minutes{0}) == t);
}

TEST_CASE("holiday ranges include both ends, no working time ever is nullopt, not a hang",
          "[calendar]") {
    const char* zone = "Europe/Berlin";
    Holiday vacation{date::year{2026} / 12 / 7, date::year{2026} / 12 / 21, "Betriebsferien"};
    auto calendar = calendar_with(zone, 0, {"08:00-18:00"}, {vacation});
    CHECK(iso(calendar.next_open(at("2026-12-01T12:00", zone)), zone) ==
          "2026-12-28T08:00:00+01:00");
    CHECK(calendar.is_holiday(date::year{2026} / 12 / 21));
    CHECK_FALSE(calendar.is_holiday(date::year{2026} / 12 / 22));

    BusinessCalendar closed(WeekHours{}, {}, std::nullopt, date::locate_zone(zone));
    CHECK_FALSE(closed.has_working_time());
    CHECK_FALSE(closed.next_open(at("2026-12-01T12:00", zone)));
    CHECK_FALSE(closed.business_add(at("2026-12-01T12:00", zone), hours{1}));
}

TEST_CASE("a long duration is walked in whole weeks (1,000 working hours)", "[calendar]") {
    WeekHours week;
    for (auto& day : week)
        day = {span("08:00-18:00")};
    BusinessCalendar calendar(week, {}, std::nullopt, date::locate_zone("Europe/Berlin"));
    // 60 h a week: 1,000 h = 16 weeks + 40 h.
    auto end = calendar.business_add(at("2026-01-05T08:00", "Europe/Berlin"), hours{1000});
    CHECK(iso(end, "Europe/Berlin") == "2026-04-30T18:00:00+02:00");
}

// ---------------------------------------------------------------------------
// The reference: working time as a set, tested minute by minute.

namespace {

struct Reference {
    WeekHours week;
    std::vector<Holiday> holidays;
    const date::time_zone* zone;
    mutable std::unordered_map<int, std::vector<std::pair<Instant, Instant>>> cache;

    const std::vector<std::pair<Instant, Instant>>& day(date::local_days d) const {
        int key = d.time_since_epoch().count();
        auto it = cache.find(key);
        if (it != cache.end())
            return it->second;
        std::vector<std::pair<Instant, Instant>> out;
        unsigned weekday = (date::weekday{d}.c_encoding() + 6) % 7;
        bool holiday = false;
        for (const auto& h : holidays)
            holiday = holiday || (date::local_days{h.from} <= d && d <= date::local_days{h.to});
        if (weekday < 6 && !holiday)
            for (const auto& interval : week[weekday])
                out.emplace_back(
                    local_to_instant(LocalTime{d} + minutes{interval.start.minutes}, zone),
                    local_to_instant(LocalTime{d} + minutes{interval.end.minutes}, zone));
        return cache.emplace(key, std::move(out)).first->second;
    }

    bool working(Instant x) const {
        auto info = zone->get_info(x);
        auto local = date::floor<date::days>(LocalTime{x.time_since_epoch() + info.offset});
        for (auto d : {local - date::days{1}, local})
            for (const auto& [a, b] : day(d))
                if (a <= x && x < b)
                    return true;
        return false;
    }

    Instant add(Instant t, minutes d) const {
        Instant u = t;
        for (minutes counted{0}; counted < d; u += minutes{1})
            if (working(u))
                counted += minutes{1};
        return u;
    }

    Instant next_open(Instant t) const {
        while (!working(t))
            t += minutes{1};
        return t;
    }
};

} // namespace

TEST_CASE("property: business_add and next_open agree with a minute-stepping reference on "
          "10,000 random configurations",
          "[calendar][property]") {
    std::mt19937 random(20261127);
    const char* zones[] = {"Europe/Berlin", "America/New_York",    "Asia/Jerusalem",
                           "Africa/Cairo",  "Australia/Lord_Howe", "UTC"};
    auto uniform = [&](int low, int high) {
        return std::uniform_int_distribution<int>(low, high)(random);
    };
    const Instant start = at("2026-01-01T00:00:00Z", "UTC");
    int checked = 0;
    for (int round = 0; round < 10000; ++round) {
        Reference reference;
        reference.zone = date::locate_zone(zones[uniform(0, 5)]);
        long long week_minutes = 0;
        for (auto& day : reference.week) {
            if (uniform(0, 9) < 3)
                continue;
            std::vector<int> points;
            int count = 2 * uniform(1, 3);
            while (static_cast<int>(points.size()) < count) {
                int point = uniform(0, 96) * 15;
                if (std::find(points.begin(), points.end(), point) == points.end())
                    points.push_back(point);
            }
            std::sort(points.begin(), points.end());
            for (size_t i = 0; i < points.size(); i += 2) {
                day.push_back({TimeOfDay{points[i]}, TimeOfDay{points[i + 1]}});
                week_minutes += points[i + 1] - points[i];
            }
        }
        for (int h = uniform(0, 3); h > 0; --h) {
            auto from =
                date::year_month_day{date::floor<date::days>(start) + date::days{uniform(0, 720)}};
            auto to = date::year_month_day{date::sys_days{from} + date::days{uniform(0, 10)}};
            reference.holidays.push_back({from, to, ""});
        }
        BusinessCalendar calendar(reference.week, reference.holidays, std::nullopt, reference.zone);
        Instant t = start + minutes{uniform(0, 720 * 1440)};
        if (week_minutes == 0) {
            CHECK_FALSE(calendar.business_add(t, hours{1}));
            continue;
        }
        minutes d{uniform(0, static_cast<int>(std::min<long long>(week_minutes, 16 * 60)))};
        auto expected = reference.add(t, d);
        auto actual = calendar.business_add(t, d);
        INFO("round " << round << ", zone " << reference.zone->name() << ", t "
                      << format_iso8601(t, reference.zone) << ", d " << d.count() << " min");
        REQUIRE(actual);
        REQUIRE(format_iso8601(*actual, reference.zone) ==
                format_iso8601(expected, reference.zone));
        REQUIRE(*calendar.next_open(t) == reference.next_open(t));
        REQUIRE(calendar.is_open(t) == reference.working(t));
        // working_time is business_add's inverse (issue #18's reports).
        REQUIRE(calendar.working_time(t, *actual) == d);
        if (round % 50 == 0) { // and counts what the reference counts, over days
            const Instant until = t + minutes{uniform(0, 3 * 1440)};
            long long counted = 0;
            for (Instant x = t; x < until; x += minutes{1})
                counted += reference.working(x);
            REQUIRE(calendar.working_time(t, until) == minutes{counted});
        }
        ++checked;
    }
    CHECK(checked > 9000);
}

TEST_CASE("working_time: nothing for an empty or reversed span, whole weeks skipped as "
          "business_add skips them, a holiday and the DST change counted as they happen",
          "[calendar][report]") {
    WeekHours week;
    for (unsigned day = 0; day < 5; ++day)
        week[day].push_back(span("08:00-18:00"));
    week[5].push_back(span("09:00-13:00"));
    const auto* berlin = date::locate_zone("Europe/Berlin");
    BusinessCalendar calendar(week, {{date::year{2026} / 10 / 23, date::year{2026} / 10 / 23, ""}},
                              std::nullopt, berlin);
    const Instant saturday_noon = at("2026-10-24T12:00", "Europe/Berlin");
    CHECK(calendar.working_time(saturday_noon, saturday_noon) == minutes{0});
    CHECK(calendar.working_time(saturday_noon, saturday_noon - hours{5}) == minutes{0});
    // Saturday 12:00–13:00, the DST Sunday, Monday 08:00–09:00: 46 hours
    // on the clock, two of business time.
    const Instant monday_nine = at("2026-10-26T09:00", "Europe/Berlin");
    CHECK(monday_nine - saturday_noon == hours{46});
    CHECK(calendar.working_time(saturday_noon, monday_nine) == hours{2});
    // Thursday 17:00 to Monday 08:00 over the holiday Friday: Thursday's
    // hour and Saturday's four.
    CHECK(calendar.working_time(at("2026-10-22T17:00", "Europe/Berlin"),
                                at("2026-10-26T08:00", "Europe/Berlin")) == hours{5});
    // Ten clean weeks of 54 hours, walked in steps, then the same as the
    // sum of the days.
    const Instant from = at("2026-01-05T00:00", "Europe/Berlin");
    const Instant to = at("2026-03-16T00:00", "Europe/Berlin");
    CHECK(calendar.working_time(from, to) == hours{10 * 54});
    CHECK(*calendar.business_add(from, hours{10 * 54}) == at("2026-03-14T13:00", "Europe/Berlin"));
    CHECK(calendar.working_time(from, at("2026-03-13T18:00", "Europe/Berlin")) == hours{536});
}
