#include "core/zoned_time.hpp"

#include "core/local_time.hpp"

#include <cstdio>

namespace lr::core {

Instant local_to_instant(LocalTime local, const date::time_zone* zone) {
    auto info = zone->get_info(local);
    // unique: first is the only offset; nonexistent: first is the offset
    // before the gap; ambiguous: first is the earlier instant's offset.
    return Instant{local.time_since_epoch() - info.first.offset};
}

std::string format_iso8601(Instant instant, const date::time_zone* zone) {
    auto info = zone->get_info(instant);
    auto local = LocalTime{instant.time_since_epoch() + info.offset};
    long long offset_minutes = info.offset.count() / 60;
    char sign = offset_minutes < 0 ? '-' : '+';
    if (offset_minutes < 0)
        offset_minutes = -offset_minutes;
    char offset[48];
    std::snprintf(offset, sizeof offset, "%c%02lld:%02lld", sign, offset_minutes / 60,
                  offset_minutes % 60);
    return date::format("%FT%T", local) + offset;
}

namespace {

std::optional<int> two_digits(std::string_view text, size_t at) {
    if (at + 2 > text.size() || text[at] < '0' || text[at] > '9' || text[at + 1] < '0' ||
        text[at + 1] > '9')
        return std::nullopt;
    return (text[at] - '0') * 10 + (text[at + 1] - '0');
}

} // namespace

std::optional<Instant> parse_iso8601(std::string_view text, const date::time_zone* zone) {
    auto day = parse_date(text.substr(0, 10));
    if (!day)
        return std::nullopt;
    std::chrono::seconds time_of_day{0};
    size_t i = 10;
    if (i < text.size() && (text[i] == 'T' || text[i] == ' ')) {
        auto hours = two_digits(text, i + 1);
        auto minutes =
            i + 3 < text.size() && text[i + 3] == ':' ? two_digits(text, i + 4) : std::nullopt;
        if (!hours || !minutes || *hours > 23 || *minutes > 59)
            return std::nullopt;
        i += 6;
        int seconds = 0;
        if (i < text.size() && text[i] == ':') {
            auto parsed = two_digits(text, i + 1);
            if (!parsed || *parsed > 59)
                return std::nullopt;
            seconds = *parsed;
            i += 3;
        }
        time_of_day = std::chrono::hours{*hours} + std::chrono::minutes{*minutes} +
                      std::chrono::seconds{seconds};
    }
    LocalTime local = LocalTime{date::local_days{*day}} + time_of_day;
    if (i == text.size())
        return local_to_instant(local, zone);
    if (text.substr(i) == "Z")
        return Instant{local.time_since_epoch()};
    if (text[i] != '+' && text[i] != '-')
        return std::nullopt;
    int sign = text[i] == '-' ? -1 : 1;
    auto offset_hours = two_digits(text, i + 1);
    size_t minutes_at = i + 3 < text.size() && text[i + 3] == ':' ? i + 4 : i + 3;
    auto offset_minutes = two_digits(text, minutes_at);
    if (!offset_hours || !offset_minutes || minutes_at + 2 != text.size() || *offset_hours > 23 ||
        *offset_minutes > 59)
        return std::nullopt;
    std::chrono::minutes offset{*offset_hours * 60 + *offset_minutes};
    return Instant{local.time_since_epoch() - sign * offset};
}

} // namespace lr::core
