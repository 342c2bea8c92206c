// Instants to and from the database: timestamptz parameters are written as
// ISO 8601 in UTC; rows read them as epoch seconds
// (extract(epoch FROM …)::bigint), which needs no parsing.
#pragma once

#include "core/zoned_time.hpp"

#include <string>

namespace lr::store {

std::string timestamp_param(core::Instant instant);
core::Instant instant_from_epoch(long long seconds);

} // namespace lr::store
