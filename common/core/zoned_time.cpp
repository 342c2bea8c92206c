#include "core/zoned_time.hpp"

#include "core/local_time.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace lr::core {

namespace {

using std::chrono::seconds;

// A zone's UTC offsets as plain numbers, 1970–2100. date::tz answers with
// sys_info objects that carry a std::string; the calendar converts local
// times millions of times, so it reads this table instead.
class OffsetTable {
public:
    explicit OffsetTable(const date::time_zone* zone) {
        Instant t = date::sys_days{date::year{1970} / 1 / 1};
        const Instant end = date::sys_days{date::year{2100} / 1 / 1};
        m_first = t;
        while (t < end) {
            auto info = zone->get_info(t);
            m_begins.push_back(std::max(Instant{info.begin}, m_first));
            m_offsets.push_back(info.offset);
            if (Instant{info.end} <= t)
                break;
            t = info.end;
        }
        m_last = t;
    }

    bool covers(Instant t) const {
        return t >= m_first + date::days{2} && t < m_last - date::days{2};
    }

    size_t period_of(Instant t) const {
        auto it = std::upper_bound(m_begins.begin(), m_begins.end(), t);
        return static_cast<size_t>(it - m_begins.begin()) - 1;
    }

    seconds offset(Instant t) const { return m_offsets[period_of(t)]; }

    Instant end_of(size_t period) const {
        return period + 1 < m_begins.size() ? m_begins[period + 1] : m_last;
    }

    Instant to_instant(LocalTime local) const {
        const Instant as_utc{local.time_since_epoch()};
        size_t j = period_of(as_utc);
        size_t from = j > 0 ? j - 1 : 0;
        size_t to = std::min(j + 1, m_begins.size() - 1);
        std::optional<Instant> earliest;
        for (size_t k = from; k <= to; ++k) {
            Instant candidate = as_utc - m_offsets[k];
            if (m_begins[k] <= candidate && candidate < end_of(k))
                if (!earliest || candidate < *earliest)
                    earliest = candidate;
        }
        if (earliest)
            return *earliest;
        // In a gap: the offset from before the transition (SPEC §7).
        for (size_t k = from; k < to; ++k)
            if (as_utc - m_offsets[k] >= end_of(k) && as_utc - m_offsets[k + 1] < m_begins[k + 1])
                return as_utc - m_offsets[k];
        return as_utc - m_offsets[j];
    }

private:
    Instant m_first;
    Instant m_last;
    std::vector<Instant> m_begins;
    std::vector<seconds> m_offsets;
};

const OffsetTable& table_for(const date::time_zone* zone) {
    thread_local const date::time_zone* last_zone = nullptr;
    thread_local const OffsetTable* last_table = nullptr;
    if (zone == last_zone)
        return *last_table;
    static std::mutex mutex;
    static std::map<const date::time_zone*, std::unique_ptr<OffsetTable>> tables;
    std::lock_guard lock(mutex);
    auto& table = tables[zone];
    if (!table)
        table = std::make_unique<OffsetTable>(zone);
    last_zone = zone;
    last_table = table.get();
    return *table;
}

Instant local_to_instant_by_tz(LocalTime local, const date::time_zone* zone) {
    auto info = zone->get_info(local);
    // unique: first is the only offset; nonexistent: first is the offset
    // before the gap; ambiguous: first is the earlier instant's offset.
    return Instant{local.time_since_epoch() - info.first.offset};
}

} // namespace

Instant local_to_instant(LocalTime local, const date::time_zone* zone) {
    const auto& table = table_for(zone);
    if (!table.covers(Instant{local.time_since_epoch()}))
        return local_to_instant_by_tz(local, zone);
    return table.to_instant(local);
}

std::chrono::seconds utc_offset(Instant instant, const date::time_zone* zone) {
    const auto& table = table_for(zone);
    if (!table.covers(instant))
        return zone->get_info(instant).offset;
    return table.offset(instant);
}

bool offset_constant(Instant from, Instant to, const date::time_zone* zone) {
    const auto& table = table_for(zone);
    if (!table.covers(from) || !table.covers(to))
        return zone->get_info(from).end > to;
    return table.period_of(from) == table.period_of(to);
}

std::string format_iso8601(Instant instant, const date::time_zone* zone) {
    auto offset = utc_offset(instant, zone);
    auto local = LocalTime{instant.time_since_epoch() + offset};
    long long offset_minutes = offset.count() / 60;
    char sign = offset_minutes < 0 ? '-' : '+';
    if (offset_minutes < 0)
        offset_minutes = -offset_minutes;
    char text[48];
    std::snprintf(text, sizeof text, "%c%02lld:%02lld", sign, offset_minutes / 60,
                  offset_minutes % 60);
    return date::format("%FT%T", local) + text;
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
        int secs = 0;
        if (i < text.size() && text[i] == ':') {
            auto parsed = two_digits(text, i + 1);
            if (!parsed || *parsed > 59)
                return std::nullopt;
            secs = *parsed;
            i += 3;
        }
        time_of_day = std::chrono::hours{*hours} + std::chrono::minutes{*minutes} +
                      std::chrono::seconds{secs};
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
