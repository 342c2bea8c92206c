// Wall-clock values of the configuration: times of day ("08:00", "24:00"
// as an end), working intervals ("08:00-12:30") and calendar dates
// ("2026-12-24"). Parsing only; the calendar turns them into instants.
#pragma once

#include <date/date.h>
#include <optional>
#include <string>
#include <string_view>

namespace lr::core {

// Minutes since local midnight, 0..1440.
struct TimeOfDay {
    int minutes = 0;
    friend bool operator==(TimeOfDay, TimeOfDay) = default;
    friend auto operator<=>(TimeOfDay, TimeOfDay) = default;
};

// [start, end) on one local date.
struct WorkInterval {
    TimeOfDay start;
    TimeOfDay end;
    friend bool operator==(const WorkInterval&, const WorkInterval&) = default;
};

std::optional<TimeOfDay> parse_time_of_day(std::string_view text, bool allow_24 = false);
std::string format_time_of_day(TimeOfDay time);

// Why an interval text is not valid; empty when it is.
struct IntervalParse {
    std::optional<WorkInterval> interval;
    std::string problem;
};
IntervalParse parse_work_interval(std::string_view text);
std::string format_work_interval(const WorkInterval& interval);

std::optional<date::year_month_day> parse_date(std::string_view text);
std::string format_date(date::year_month_day day);

} // namespace lr::core
