#include "working_zone.hpp"

#include <chrono>
#include <date/tz.h>
#include <stdexcept>

namespace lr::test {

// UTC+14 and UTC-12 are 26 hours apart, so at least one of them is at
// least an hour away from its Sunday.
std::string working_zone() {
    for (const char* name : {"Etc/GMT-14", "Etc/GMT+12"}) {
        auto local = date::make_zoned(name, std::chrono::system_clock::now()).get_local_time();
        auto day = date::floor<date::days>(local);
        date::weekday weekday{day};
        auto hour = date::floor<std::chrono::hours>(local - day).count();
        if (weekday != date::Sunday && !(weekday == date::Saturday && hour >= 23))
            return name;
    }
    throw std::runtime_error("no zone found whose next hour is working time");
}

std::string round_the_clock_hours(const std::string& indent) {
    std::string out = indent + "working_hours:\n";
    for (const char* day : {"mon", "tue", "wed", "thu", "fri", "sat"})
        out += indent + "  " + day + ": [\"00:00-24:00\"]\n";
    return out;
}

} // namespace lr::test
