// The dealer's inventory (SPEC §10) and how a CSV export becomes it.
//
// Columns, matched case-insensitively: internal_number (required),
// location, condition (new/used, neu/gebraucht), make, model, vin,
// listing:<marketplace> (one column per marketplace) and expose:<type>
// (the exposé file of that type). Any other column is an error, so a typo
// never drops data silently.
#pragma once

#include "core/config.hpp"
#include "util/csv.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace lr::core {

struct Vehicle {
    int line = 0; // in the CSV
    std::string internal_number;
    std::optional<std::string> location;
    std::optional<std::string> condition; // new | used
    std::optional<std::string> make;
    std::optional<std::string> model;
    std::optional<std::string> vin;
    std::map<std::string, std::string> listing_ids; // marketplace → listing id
    std::map<std::string, std::string> exposes;     // type → file
};

struct InventoryParse {
    std::vector<Vehicle> vehicles;
    std::vector<std::pair<int, std::string>> errors; // line, problem
};

InventoryParse read_inventory(const std::vector<util::CsvRecord>& records, const Dealer& dealer);

bool is_valid_vin(std::string_view vin);

} // namespace lr::core
