// Instants and the dealer's local time (SPEC §7): local times are turned
// into instants with the spec's DST rule, and instants are printed as ISO
// 8601 with the zone's offset. The one place that does this, so the
// calendar, the CLI and the scheduler cannot disagree.
#pragma once

#include <chrono>
#include <date/date.h>
#include <date/tz.h>
#include <optional>
#include <string>
#include <string_view>

namespace lr::core {

using Instant = date::sys_seconds;
using LocalTime = date::local_seconds;

// §7: a local time inside a DST gap is read with the offset before the
// transition (02:30 → 03:30 summer time); an ambiguous one is the earlier
// instant. (date::tz's choose::earliest would give 03:00 for the gap.)
Instant local_to_instant(LocalTime local, const date::time_zone* zone);

// The zone's UTC offset at an instant.
std::chrono::seconds utc_offset(Instant instant, const date::time_zone* zone);
// True when the UTC offset does not change in [from, to].
bool offset_constant(Instant from, Instant to, const date::time_zone* zone);

// "2026-12-23T09:30:00+01:00": always ±HH:MM, never Z.
std::string format_iso8601(Instant instant, const date::time_zone* zone);

// YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS] (also with a space instead of T), with
// an optional Z or ±HH:MM / ±HHMM offset; without one the time is local to
// zone. A date alone is local midnight.
std::optional<Instant> parse_iso8601(std::string_view text, const date::time_zone* zone);

} // namespace lr::core
