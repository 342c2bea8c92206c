// Where leadd reads the time. One clock for the whole daemon, so a test
// can run it at another time (--clock-offset) and the scheduler can run a
// simulated week.
#pragma once

#include "core/zoned_time.hpp"

#include <chrono>

namespace lr::daemon {

class Clock {
public:
    explicit Clock(std::chrono::seconds offset = std::chrono::seconds{0}) : m_offset(offset) {}
    core::Instant now() const {
        return std::chrono::time_point_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now()) +
               m_offset;
    }

private:
    std::chrono::seconds m_offset;
};

} // namespace lr::daemon
