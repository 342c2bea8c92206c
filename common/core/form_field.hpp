// The fields of a form lead (lead-formats.md §3) and their names as they
// are written in a source profile's `labels` (config) and printed.
#pragma once

#include <optional>
#include <string_view>

namespace lr::core {

enum class FormField {
    salutation,
    first_name,
    last_name,
    full_name,
    email,
    phone,
    message,
    listing_id,
    internal_number,
    vin,
    make,
    model,
    vehicle,
    first_registration,
    mileage,
    request_type,
};

const char* to_string(FormField field);
std::optional<FormField> form_field_named(std::string_view name);

} // namespace lr::core
