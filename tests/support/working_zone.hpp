// A time zone in which now and the next hour are working time for a dealer
// open Monday to Saturday around the clock, so that tests on the real
// clock see escalations come due within minutes on any day.
#pragma once

#include <string>

namespace lr::test {

// Throws std::runtime_error if there is none (there always is one).
std::string working_zone();

// The working_hours block (YAML, at indent) of such a dealer.
std::string round_the_clock_hours(const std::string& indent);

} // namespace lr::test
