#include "core/duration.hpp"

#include <limits>

namespace lr::core {

std::optional<std::chrono::seconds> parse_duration(std::string_view text) {
    if (text == "0")
        return std::chrono::seconds{0};
    static constexpr struct {
        char unit;
        long long seconds;
    } units[] = {{'d', 86400}, {'h', 3600}, {'m', 60}};

    long long total = 0;
    size_t next_unit = 0;
    size_t i = 0;
    bool any = false;
    while (i < text.size()) {
        long long number = 0;
        size_t digits = 0;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
            if (number > std::numeric_limits<int>::max())
                return std::nullopt;
            number = number * 10 + (text[i] - '0');
            ++i;
            ++digits;
        }
        if (digits == 0 || i == text.size())
            return std::nullopt;
        char unit = text[i++];
        while (next_unit < std::size(units) && units[next_unit].unit != unit)
            ++next_unit;
        if (next_unit == std::size(units))
            return std::nullopt; // unknown unit, or units out of order
        total += number * units[next_unit].seconds;
        ++next_unit;
        any = true;
    }
    if (!any)
        return std::nullopt;
    return std::chrono::seconds{total};
}

std::string format_duration(std::chrono::seconds duration) {
    long long s = duration.count();
    if (s == 0)
        return "0";
    std::string out;
    if (s >= 86400) {
        out += std::to_string(s / 86400) + "d";
        s %= 86400;
    }
    if (s >= 3600) {
        out += std::to_string(s / 3600) + "h";
        s %= 3600;
    }
    if (s >= 60) {
        out += std::to_string(s / 60) + "m";
        s %= 60;
    }
    if (s > 0)
        out += std::to_string(s) + "s";
    return out;
}

} // namespace lr::core
