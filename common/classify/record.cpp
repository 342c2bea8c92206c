#include "classify/record.hpp"

#include "util/strings.hpp"

namespace lr::classify {

namespace {

std::string value(const std::optional<std::string>& text) {
    return text ? util::json_quote(*text) : "null";
}

std::string value(const std::optional<long long>& number) {
    return number ? std::to_string(*number) : "null";
}

class ObjectWriter {
public:
    explicit ObjectWriter(std::string indent) : m_indent(std::move(indent)) {}
    template <class T> ObjectWriter& add(const char* key, const T& field) {
        return raw(key, value(field));
    }
    ObjectWriter& raw(const char* key, const std::string& json) {
        m_out += m_out.empty() ? "{" : m_indent.empty() ? ", " : ",";
        m_out += m_indent.empty() ? "" : "\n" + m_indent;
        m_out += util::json_quote(key) + ": " + json;
        return *this;
    }
    std::string close() {
        std::string closing = m_indent.empty() ? "}" : "\n" + m_indent.substr(2) + "}";
        return m_out + closing;
    }

private:
    std::string m_indent;
    std::string m_out;
};

std::string contact_json(const Contact& contact) {
    return ObjectWriter("")
        .add("salutation", contact.salutation)
        .add("first_name", contact.first_name)
        .add("last_name", contact.last_name)
        .add("email", contact.email)
        .add("phone", contact.phone)
        .close();
}

} // namespace

std::string to_json(const Vehicle& vehicle) {
    return ObjectWriter("")
        .add("internal_number", vehicle.internal_number)
        .add("listing_id", vehicle.listing_id)
        .add("vin", vehicle.vin)
        .add("make", vehicle.make)
        .add("model", vehicle.model)
        .add("condition", vehicle.condition)
        .close();
}

std::string to_json(const TradeIn& trade_in) {
    return ObjectWriter("")
        .add("make", trade_in.make)
        .add("model", trade_in.model)
        .add("first_registration", trade_in.first_registration)
        .add("mileage_km", trade_in.mileage_km)
        .add("vin", trade_in.vin)
        .close();
}

std::string to_json(const Record& record, bool pretty) {
    return ObjectWriter(pretty ? "  " : "")
        .raw("kind", util::json_quote(record.kind))
        .add("reason", record.reason)
        .raw("source", util::json_quote(record.source))
        .add("provider", record.provider)
        .raw("contact", contact_json(record.contact))
        .raw("vehicle", to_json(record.vehicle))
        .raw("has_vehicle_reference", record.has_vehicle_reference ? "true" : "false")
        .raw("trade_in", record.trade_in ? to_json(*record.trade_in) : "null")
        .add("message", record.message)
        .close();
}

} // namespace lr::classify
