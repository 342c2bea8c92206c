// Absences (SPEC §6): runtime data, set and cleared with leadctl. An absent
// user is skipped by the rotation; their substitute gets copies of notices.
#pragma once

#include "core/zoned_time.hpp"
#include "store/pg.hpp"

#include <optional>
#include <string>
#include <vector>

namespace lr::store {

struct Absence {
    long long id = 0;
    std::string user_id;
    core::Instant starts_at;
    core::Instant ends_at;
    std::string note;
};

Result<long long> add_absence(Connection& connection, const std::string& dealer_id,
                              const std::string& user_id, core::Instant from, core::Instant to,
                              const std::string& note);
// Ends the user's current absences now and removes future ones; the count.
Result<long long> clear_absences(Connection& connection, const std::string& dealer_id,
                                 const std::string& user_id, core::Instant now);
// Current and future absences, by start.
Result<std::vector<Absence>> list_absences(Connection& connection, const std::string& dealer_id,
                                           core::Instant now);

} // namespace lr::store
