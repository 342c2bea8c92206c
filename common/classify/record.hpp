// The classification record of lead-formats.md §5: what the milter stores
// and `leadctl classify` prints. Unknown values are empty optionals.
#pragma once

#include <optional>
#include <string>

namespace lr::classify {

struct Contact {
    std::optional<std::string> salutation;
    std::optional<std::string> first_name;
    std::optional<std::string> last_name;
    std::optional<std::string> email; // lower case
    std::optional<std::string> phone; // E.164
};

struct Vehicle {
    std::optional<std::string> internal_number;
    std::optional<std::string> listing_id;
    std::optional<std::string> vin;
    std::optional<std::string> make;
    std::optional<std::string> model;
    std::optional<std::string> condition; // new | used
};

struct TradeIn {
    std::optional<std::string> make;
    std::optional<std::string> model;
    std::optional<std::string> first_registration; // YYYY-MM or YYYY
    std::optional<long long> mileage_km;
    std::optional<std::string> vin;
};

struct Record {
    std::string kind = "lead";         // lead | tradein | unassignable
    std::optional<std::string> reason; // bounce | auto_reply | bulk | spam | no_contact
    std::string source = "email";
    std::optional<std::string> provider;
    Contact contact;
    Vehicle vehicle;
    bool has_vehicle_reference = false;
    std::optional<TradeIn> trade_in;
    std::optional<std::string> message;
};

// One JSON object (nlohmann/json), keys in the order of lead-formats.md
// §5; pretty indents it (leadctl classify), else one line.
std::string to_json(const Record& record, bool pretty = true);
std::string to_json(const Vehicle& vehicle);
std::string to_json(const TradeIn& trade_in);

} // namespace lr::classify
