#include "core/form_field.hpp"

namespace lr::core {

namespace {

constexpr std::pair<FormField, const char*> names[] = {
    {FormField::salutation, "salutation"},
    {FormField::first_name, "first_name"},
    {FormField::last_name, "last_name"},
    {FormField::full_name, "full_name"},
    {FormField::email, "email"},
    {FormField::phone, "phone"},
    {FormField::message, "message"},
    {FormField::listing_id, "listing_id"},
    {FormField::internal_number, "internal_number"},
    {FormField::vin, "vin"},
    {FormField::make, "make"},
    {FormField::model, "model"},
    {FormField::vehicle, "vehicle"},
    {FormField::first_registration, "first_registration"},
    {FormField::mileage, "mileage"},
    {FormField::request_type, "request_type"},
};

} // namespace

const char* to_string(FormField field) {
    for (const auto& [known, name] : names)
        if (known == field)
            return name;
    return "?";
}

std::optional<FormField> form_field_named(std::string_view name) {
    for (const auto& [field, known] : names)
        if (name == known)
            return field;
    return std::nullopt;
}

} // namespace lr::core
