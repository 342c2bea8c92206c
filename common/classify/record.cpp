#include "classify/record.hpp"

#include "util/json.hpp"

namespace lr::classify {

namespace {

Json value(const std::optional<std::string>& text) {
    return text ? Json(*text) : Json(nullptr);
}

Json value(const std::optional<long long>& number) {
    return number ? Json(*number) : Json(nullptr);
}

Json contact_json(const Contact& contact) {
    return Json{{"salutation", value(contact.salutation)},
                {"first_name", value(contact.first_name)},
                {"last_name", value(contact.last_name)},
                {"email", value(contact.email)},
                {"phone", value(contact.phone)}};
}

Json vehicle_json(const Vehicle& vehicle) {
    return Json{{"internal_number", value(vehicle.internal_number)},
                {"listing_id", value(vehicle.listing_id)},
                {"vin", value(vehicle.vin)},
                {"make", value(vehicle.make)},
                {"model", value(vehicle.model)},
                {"condition", value(vehicle.condition)}};
}

Json trade_in_json(const TradeIn& trade_in) {
    return Json{{"make", value(trade_in.make)},
                {"model", value(trade_in.model)},
                {"first_registration", value(trade_in.first_registration)},
                {"mileage_km", value(trade_in.mileage_km)},
                {"vin", value(trade_in.vin)}};
}

} // namespace

std::string to_json(const Vehicle& vehicle) {
    return json_text(vehicle_json(vehicle));
}

std::string to_json(const TradeIn& trade_in) {
    return json_text(trade_in_json(trade_in));
}

std::string to_json(const Record& record, bool pretty) {
    const Json out{{"kind", record.kind},
                   {"reason", value(record.reason)},
                   {"source", record.source},
                   {"provider", value(record.provider)},
                   {"contact", contact_json(record.contact)},
                   {"vehicle", vehicle_json(record.vehicle)},
                   {"has_vehicle_reference", record.has_vehicle_reference},
                   {"trade_in", record.trade_in ? trade_in_json(*record.trade_in) : Json(nullptr)},
                   {"message", value(record.message)}};
    return json_text(out, pretty ? 2 : -1);
}

} // namespace lr::classify
