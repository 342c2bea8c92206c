// Durations as the configuration writes them: days, hours, minutes in that
// order ("90m", "2h", "1d", "1h30m", "1d5h"), or "0".
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace lr::core {

std::optional<std::chrono::seconds> parse_duration(std::string_view text);
std::string format_duration(std::chrono::seconds duration);

} // namespace lr::core
