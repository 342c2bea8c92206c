// Cleaning the values a mail carries into the record's forms
// (lead-formats.md §5): trimmed UTF-8 with white space runs folded, names
// split, addresses lower-cased, dates as YYYY-MM, mileage in km.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace lr::classify {

// Trimmed, every run of white space (and control characters) one space;
// empty → nullopt.
std::optional<std::string> clean_text(std::string_view text);

// {first, last}: "Nachname, Vorname" at the comma, else at the last space;
// one word is a first name.
std::pair<std::optional<std::string>, std::optional<std::string>>
split_name(std::string_view full_name);

// A bare address from "mailto:x@y", "<x@y>", "Name <x@y>"; lower case;
// nullopt when it is not an address.
std::optional<std::string> clean_email(std::string_view text);

// Not a customer's address (SPEC §4): noreply, no-reply, donotreply,
// do-not-reply prefixes, and the machine senders (machine_mail.hpp).
bool is_machine_address(std::string_view address);

// "03/2016", "3.2016", "2016-03", "01.03.2016" → "2016-03"; "2016" → "2016".
// Month names are not read (no feed writes them).
std::optional<std::string> first_registration(std::string_view text);
// "98.000 km", "98 000", "98,000", "98000km".
std::optional<long long> mileage_km(std::string_view text);

// Does text contain needle, ignoring ASCII case?
bool contains_icase(std::string_view text, std::string_view needle);

// Valid UTF-8: invalid input is read as Windows-1252 (what a mail without
// or with a wrong charset usually is); NUL bytes are dropped.
std::string to_utf8(std::string_view bytes);

} // namespace lr::classify
