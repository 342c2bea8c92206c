// The dealer's inventory in PostgreSQL. A re-import replaces the whole
// inventory of one dealer in one transaction: readers see the old or the
// new inventory, never a mix.
#pragma once

#include "core/vehicle.hpp"
#include "store/pg.hpp"

#include <string>
#include <vector>

namespace lr::store {

struct ImportReport {
    long long removed = 0;
    long long imported = 0;
};

Result<ImportReport> replace_inventory(Connection& connection, const std::string& dealer_id,
                                       const std::vector<core::Vehicle>& vehicles);

Result<long long> count_vehicles(Connection& connection, const std::string& dealer_id);

} // namespace lr::store
