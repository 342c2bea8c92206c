#include "core/calendar.hpp"

#include "core/public_holidays.hpp"

#include <algorithm>

namespace lr::core {

namespace {

using std::chrono::seconds;

// Monday = 0 … Saturday = 5; Sunday = 6 (never working time).
unsigned weekday_index(date::local_days day) {
    return (date::weekday{day}.c_encoding() + 6) % 7;
}

// How far any date's intervals are walked before giving up: far beyond any
// holiday range a dealer could configure, so "no working time" can only
// come from a week with no intervals, which has_working_time() reports.
constexpr int max_days_walked = 366 * 50;

constexpr date::year first_precomputed{2000};
constexpr date::year last_precomputed{2100};

} // namespace

BusinessCalendar::BusinessCalendar(const Dealer& dealer)
    : BusinessCalendar(dealer.working_hours, dealer.holidays, dealer.public_holidays,
                       dealer.timezone) {}

BusinessCalendar::BusinessCalendar(WeekHours hours, std::vector<Holiday> holidays,
                                   std::optional<std::string> public_holidays,
                                   const date::time_zone* zone)
    : m_hours(std::move(hours)), m_public_holidays(std::move(public_holidays)), m_zone(zone) {
    for (const auto& holiday : holidays)
        m_holidays.emplace_back(date::sys_days{holiday.from}, date::sys_days{holiday.to});
    // Statutory holidays of the years anyone will plan in are computed once
    // here; is_holiday computes other years on demand.
    if (m_public_holidays)
        for (int year = int(first_precomputed); year <= int(last_precomputed); ++year)
            for (const auto& holiday : core::public_holidays(*m_public_holidays, year))
                m_holidays.emplace_back(date::sys_days{holiday.day}, date::sys_days{holiday.day});
    std::sort(m_holidays.begin(), m_holidays.end());
    for (const auto& [from, to] : m_holidays)
        m_longest_holiday = std::max(m_longest_holiday, to - from);
    for (auto& day : m_hours) {
        std::sort(day.begin(), day.end(),
                  [](const WorkInterval& a, const WorkInterval& b) { return a.start < b.start; });
        for (const auto& interval : day)
            m_week_seconds += std::chrono::minutes{interval.end.minutes - interval.start.minutes};
    }
}

bool BusinessCalendar::is_holiday(date::year_month_day day) const {
    date::sys_days d{day};
    if (m_public_holidays && (day.year() < first_precomputed || day.year() > last_precomputed)) {
        for (const auto& holiday : public_holidays(*m_public_holidays, int(day.year())))
            if (holiday.day == day)
                return true;
    }
    // Ranges are sorted by start; only those starting at most the longest
    // range's length before d can reach it.
    auto it = std::upper_bound(m_holidays.begin(), m_holidays.end(),
                               std::make_pair(d, date::sys_days::max()));
    while (it != m_holidays.begin()) {
        --it;
        if (it->second >= d)
            return true;
        if (it->first < d - m_longest_holiday)
            break;
    }
    return false;
}

std::vector<std::pair<Instant, Instant>>
BusinessCalendar::intervals_of(date::local_days day) const {
    std::vector<std::pair<Instant, Instant>> out;
    unsigned index = weekday_index(day);
    if (index > 5 || m_hours[index].empty() || is_holiday(date::year_month_day{day}))
        return out;
    for (const auto& interval : m_hours[index]) {
        Instant start =
            local_to_instant(LocalTime{day} + std::chrono::minutes{interval.start.minutes}, m_zone);
        Instant end =
            local_to_instant(LocalTime{day} + std::chrono::minutes{interval.end.minutes}, m_zone);
        if (end <= start)
            continue; // emptied by the DST rule
        if (!out.empty() && start <= out.back().second)
            out.back().second = std::max(out.back().second, end);
        else
            out.emplace_back(start, end);
    }
    return out;
}

date::local_days BusinessCalendar::local_day_of(Instant t) const {
    return date::floor<date::days>(LocalTime{t.time_since_epoch() + utc_offset(t, m_zone)});
}

// Seven days starting at first, none a holiday, no UTC offset change from
// the day before to the day after: their working time is the nominal week.
bool BusinessCalendar::clean_week(date::local_days first) const {
    Instant from = local_to_instant(LocalTime{first - date::days{1}}, m_zone);
    Instant to = local_to_instant(LocalTime{first + date::days{8}}, m_zone);
    if (!offset_constant(from, to, m_zone))
        return false;
    for (int i = 0; i < 7; ++i)
        if (is_holiday(date::year_month_day{first + date::days{i}}))
            return false;
    return true;
}

bool BusinessCalendar::is_open(Instant t) const {
    auto day = local_day_of(t);
    for (auto d = day - date::days{1}; d <= day + date::days{1}; d += date::days{1})
        for (const auto& [start, end] : intervals_of(d))
            if (start <= t && t < end)
                return true;
    return false;
}

std::optional<Instant> BusinessCalendar::next_open(Instant t) const {
    if (!has_working_time())
        return std::nullopt;
    // Start a day early: an interval of yesterday may reach past midnight.
    auto day = local_day_of(t) - date::days{1};
    for (int i = 0; i < max_days_walked; ++i, day += date::days{1})
        for (const auto& [start, end] : intervals_of(day))
            if (end > t)
                return std::max(start, t);
    return std::nullopt;
}

seconds BusinessCalendar::working_time(Instant from, Instant to) const {
    seconds total{0};
    if (to <= from || !has_working_time())
        return total;
    Instant covered = from; // counted up to here: overlaps count once
    const auto last = local_day_of(to);
    for (auto day = local_day_of(from) - date::days{1}; day <= last; day += date::days{1}) {
        // Whole clean weeks in one step, as business_add does.
        if (day + date::days{7} < last && local_to_instant(LocalTime{day}, m_zone) >= covered &&
            clean_week(day)) {
            total += m_week_seconds;
            day += date::days{6};
            covered = local_to_instant(LocalTime{day + date::days{1}}, m_zone);
            continue;
        }
        for (auto [start, end] : intervals_of(day)) {
            start = std::max(start, covered);
            end = std::min(end, to);
            if (end <= start)
                continue;
            total += end - start;
            covered = end;
        }
    }
    return total;
}

std::optional<Instant> BusinessCalendar::business_add(Instant t, seconds d) const {
    if (d <= seconds{0})
        return t;
    if (!has_working_time())
        return std::nullopt;
    seconds remaining = d;
    Instant covered = t; // working time before this instant is used up
    auto day = local_day_of(t) - date::days{1};
    for (int i = 0; i < max_days_walked; ++i) {
        // Whole clean weeks in one step, once past the partial first days.
        if (remaining > m_week_seconds && local_to_instant(LocalTime{day}, m_zone) >= covered &&
            clean_week(day)) {
            remaining -= m_week_seconds;
            day += date::days{7};
            covered = local_to_instant(LocalTime{day}, m_zone);
            continue;
        }
        for (auto [start, end] : intervals_of(day)) {
            start = std::max(start, covered);
            if (end <= start)
                continue;
            if (remaining <= end - start)
                return start + remaining;
            remaining -= end - start;
            covered = end;
        }
        day += date::days{1};
    }
    return std::nullopt;
}

} // namespace lr::core
