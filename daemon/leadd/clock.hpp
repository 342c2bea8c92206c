// Where leadd reads the time: the database's clock, not this host's.
// Several daemons on several hosts lease outbox mails and fire events by
// comparing times, so they must agree on one clock; the database's is the
// one they share (and the milter stamps receipts with it). The offset to
// the local clock is measured at each connect and every minute
// (Database::measure_clock); until the first measurement the local clock
// is used. --clock-offset runs the clock ahead of the database's (tests,
// simulated weeks); --local-clock-error pretends this host's clock is
// wrong, which the measurement must cancel out (tests).
#pragma once

#include "core/zoned_time.hpp"

#include <chrono>

namespace lr::daemon {

class Clock {
public:
    explicit Clock(std::chrono::seconds offset = std::chrono::seconds{0},
                   std::chrono::seconds local_error = std::chrono::seconds{0})
        : m_offset(offset), m_local_error(local_error) {}

    core::Instant now() const {
        return std::chrono::time_point_cast<std::chrono::seconds>(local_now() + m_to_database +
                                                                  m_offset);
    }
    // This host's clock as it is (with the simulated error).
    std::chrono::system_clock::time_point local_now() const {
        return std::chrono::system_clock::now() + m_local_error;
    }
    // The database's clock minus this host's, as measured.
    void set_database_offset(std::chrono::milliseconds to_database) { m_to_database = to_database; }
    std::chrono::milliseconds database_offset() const { return m_to_database; }

private:
    std::chrono::seconds m_offset;
    std::chrono::seconds m_local_error;
    std::chrono::milliseconds m_to_database{0};
};

} // namespace lr::daemon
