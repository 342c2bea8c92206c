// The runtime side of the users overview (seed: Benutzer block): who is
// absent now and how many open leads each user holds.
#pragma once

#include "store/pg.hpp"

#include <map>
#include <set>
#include <string>

namespace lr::store {

struct UserStatus {
    std::set<std::string> absent_now;
    std::map<std::string, long long> open_leads; // user → count
};

Result<UserStatus> load_user_status(Connection& connection, const std::string& dealer_id);

} // namespace lr::store
