#include "store/timestamps.hpp"

namespace lr::store {

std::string timestamp_param(core::Instant instant) {
    static const date::time_zone* utc = date::locate_zone("UTC");
    return core::format_iso8601(instant, utc);
}

core::Instant instant_from_epoch(long long seconds) {
    return core::Instant{std::chrono::seconds{seconds}};
}

} // namespace lr::store
