#include "core/local_time.hpp"

#include "util/strings.hpp"

#include <cstdio>

namespace lr::core {

namespace {

std::optional<int> parse_digits(std::string_view text, size_t count) {
    if (text.size() != count)
        return std::nullopt;
    int value = 0;
    for (char c : text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

} // namespace

std::optional<TimeOfDay> parse_time_of_day(std::string_view text, bool allow_24) {
    // "8:00" is accepted too: people write it and it is unambiguous.
    size_t colon = text.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon > 2)
        return std::nullopt;
    auto hours = parse_digits(text.substr(0, colon), colon);
    auto minutes = parse_digits(text.substr(colon + 1), 2);
    if (!hours || !minutes || *minutes > 59)
        return std::nullopt;
    if (*hours == 24 && *minutes == 0 && allow_24)
        return TimeOfDay{1440};
    if (*hours > 23)
        return std::nullopt;
    return TimeOfDay{*hours * 60 + *minutes};
}

std::string format_time_of_day(TimeOfDay time) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d:%02d", time.minutes / 60, time.minutes % 60);
    return buf;
}

IntervalParse parse_work_interval(std::string_view text) {
    size_t dash = text.find('-');
    if (dash == std::string_view::npos)
        return {std::nullopt, "is not an interval (write it as 08:00-12:30)"};
    auto start = parse_time_of_day(util::trim(text.substr(0, dash)));
    auto end = parse_time_of_day(util::trim(text.substr(dash + 1)), true);
    if (!start || !end)
        return {std::nullopt, "is not an interval of HH:MM times (write it as 08:00-12:30)"};
    if (end->minutes <= start->minutes)
        return {std::nullopt, "ends before it starts"};
    return {WorkInterval{*start, *end}, {}};
}

std::string format_work_interval(const WorkInterval& interval) {
    return format_time_of_day(interval.start) + "-" + format_time_of_day(interval.end);
}

std::optional<date::year_month_day> parse_date(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-')
        return std::nullopt;
    auto year = parse_digits(text.substr(0, 4), 4);
    auto month = parse_digits(text.substr(5, 2), 2);
    auto day = parse_digits(text.substr(8, 2), 2);
    if (!year || !month || !day)
        return std::nullopt;
    date::year_month_day ymd{date::year{*year}, date::month{static_cast<unsigned>(*month)},
                             date::day{static_cast<unsigned>(*day)}};
    if (!ymd.ok())
        return std::nullopt;
    return ymd;
}

std::string format_date(date::year_month_day day) {
    return date::format("%F", day);
}

} // namespace lr::core
