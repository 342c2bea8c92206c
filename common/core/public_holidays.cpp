#include "core/public_holidays.hpp"

#include <algorithm>
#include <array>

namespace lr::core {

namespace {

constexpr std::array<std::string_view, 16> states = {
    "BW", "BY", "BE", "BB", "HB", "HH", "HE", "MV", "NI", "NW", "RP", "SL", "SN", "ST", "SH", "TH"};

bool in(std::string_view state, std::initializer_list<std::string_view> list) {
    return std::find(list.begin(), list.end(), state) != list.end();
}

date::year_month_day fixed(int year, unsigned month, unsigned day) {
    return date::year{year} / date::month{month} / date::day{day};
}

date::year_month_day after_easter(int year, int days) {
    return date::sys_days{easter_sunday(year)} + date::days{days};
}

} // namespace

// The anonymous Gregorian algorithm (Meeus/Jones/Butcher).
date::year_month_day easter_sunday(int year) {
    int a = year % 19;
    int b = year / 100;
    int c = year % 100;
    int d = b / 4;
    int e = b % 4;
    int f = (b + 8) / 25;
    int g = (b - f + 1) / 3;
    int h = (19 * a + b - d - g + 15) % 30;
    int i = c / 4;
    int k = c % 4;
    int l = (32 + 2 * e + 2 * i - h - k) % 7;
    int m = (a + 11 * h + 22 * l) / 451;
    int month = (h + l - 7 * m + 114) / 31;
    int day = (h + l - 7 * m + 114) % 31 + 1;
    return fixed(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
}

bool is_public_holiday_region(std::string_view region) {
    if (region == "DE")
        return true;
    return region.size() == 5 && region.substr(0, 3) == "DE-" &&
           std::find(states.begin(), states.end(), region.substr(3)) != states.end();
}

std::vector<PublicHoliday> public_holidays(std::string_view region, int year) {
    std::vector<PublicHoliday> out;
    if (!is_public_holiday_region(region))
        return out;
    const std::string_view state = region.size() == 5 ? region.substr(3) : std::string_view{};
    auto add = [&](date::year_month_day day, const char* name) { out.push_back({day, name}); };

    add(fixed(year, 1, 1), "Neujahr");
    if (in(state, {"BW", "BY", "ST"}))
        add(fixed(year, 1, 6), "Heilige Drei Könige");
    if ((state == "BE" && year >= 2019) || (state == "MV" && year >= 2023))
        add(fixed(year, 3, 8), "Internationaler Frauentag");
    add(after_easter(year, -2), "Karfreitag");
    if (state == "BB")
        add(easter_sunday(year), "Ostersonntag");
    add(after_easter(year, 1), "Ostermontag");
    add(fixed(year, 5, 1), "Tag der Arbeit");
    add(after_easter(year, 39), "Christi Himmelfahrt");
    if (state == "BB")
        add(after_easter(year, 49), "Pfingstsonntag");
    add(after_easter(year, 50), "Pfingstmontag");
    if (in(state, {"BW", "BY", "HE", "NW", "RP", "SL"}))
        add(after_easter(year, 60), "Fronleichnam");
    if (state == "SL")
        add(fixed(year, 8, 15), "Mariä Himmelfahrt");
    if (state == "TH" && year >= 2019)
        add(fixed(year, 9, 20), "Weltkindertag");
    add(fixed(year, 10, 3), "Tag der Deutschen Einheit");
    bool reformation = in(state, {"BB", "MV", "SN", "ST", "TH"}) ||
                       (in(state, {"HB", "HH", "NI", "SH"}) && year >= 2018) ||
                       year == 2017; // the 500th anniversary was a holiday everywhere
    if (reformation)
        add(fixed(year, 10, 31), "Reformationstag");
    if (in(state, {"BW", "BY", "NW", "RP", "SL"}))
        add(fixed(year, 11, 1), "Allerheiligen");
    if (state == "SN") {
        // The Wednesday before 23 November.
        date::sys_days nov23 = date::sys_days{fixed(year, 11, 23)};
        auto weekday = date::weekday{nov23};
        int back = (weekday.c_encoding() + 7 - date::Wednesday.c_encoding()) % 7;
        if (back == 0)
            back = 7;
        add(date::year_month_day{nov23 - date::days{back}}, "Buß- und Bettag");
    }
    add(fixed(year, 12, 25), "1. Weihnachtstag");
    add(fixed(year, 12, 26), "2. Weihnachtstag");
    std::sort(out.begin(), out.end(),
              [](const PublicHoliday& a, const PublicHoliday& b) { return a.day < b.day; });
    return out;
}

} // namespace lr::core
