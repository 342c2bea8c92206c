// Phone numbers to E.164 (SPEC §4), default region DE, by libphonenumber.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lr::classify {

// The first phone number in text ("0176 1234567 (mobil)", "+49 40 123-45",
// "Tel.: 040/1234567"); nullopt when there is none that could be a number.
std::optional<std::string> e164_phone(std::string_view text);

// A person as a privacy request names them (issue #17): an e-mail address
// (lower case, as contacts hold them) or a phone number in any spelling
// (E.164); nullopt when the text is neither.
struct ContactKey {
    std::optional<std::string> email;
    std::optional<std::string> phone;
};
std::optional<ContactKey> contact_key(std::string_view text);

} // namespace lr::classify
