// The dealer's business-time calendar (SPEC §7): working time is a set of
// real instants, built from the weekly intervals (Mon–Sat; Sunday never),
// minus holidays and company vacation, in the dealer's time zone.
//
//   next_open(t)        t inside working time, else the next interval start
//   business_add(t, d)  the earliest u ≥ t with exactly d of working time in [t, u)
//   working_time(a, b)  how much working time lies in [a, b)
//
// Edge rules: each interval belongs to the date it is configured for, even
// when a bound converted by the DST rule lands on the next date; a
// converted interval whose end is not after its start is empty; overlapping
// converted intervals count once. Cost does not grow with d: whole weeks
// without a holiday or DST change are skipped in one step.
#pragma once

#include "core/config.hpp"
#include "core/zoned_time.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lr::core {

class BusinessCalendar {
public:
    explicit BusinessCalendar(const Dealer& dealer);
    BusinessCalendar(WeekHours hours, std::vector<Holiday> holidays,
                     std::optional<std::string> public_holidays, const date::time_zone* zone);

    // False when no weekday has an interval: nothing is ever open.
    bool has_working_time() const { return m_week_seconds.count() > 0; }

    // nullopt only when there is no working time at all.
    std::optional<Instant> next_open(Instant t) const;
    std::optional<Instant> business_add(Instant t, std::chrono::seconds d) const;
    bool is_open(Instant t) const;
    // The working time inside [from, to): a reaction time in business
    // hours (issue #18). Zero when to is not after from.
    std::chrono::seconds working_time(Instant from, Instant to) const;

    // The working intervals of one local date, as instants, merged.
    std::vector<std::pair<Instant, Instant>> intervals_of(date::local_days day) const;
    bool is_holiday(date::year_month_day day) const;
    const date::time_zone* zone() const { return m_zone; }

private:
    bool clean_week(date::local_days first) const;
    date::local_days local_day_of(Instant t) const;

    WeekHours m_hours;
    std::vector<std::pair<date::sys_days, date::sys_days>> m_holidays; // sorted, inclusive
    date::days m_longest_holiday{0};
    std::optional<std::string> m_public_holidays;
    const date::time_zone* m_zone;
    std::chrono::seconds m_week_seconds{0}; // nominal: no DST change, no holiday
};

} // namespace lr::core
