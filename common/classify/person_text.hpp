// The text of a mail a person wrote (lead-formats.md §4): what they wrote
// themselves, without quoted history ("> " lines, "Am … schrieb …:" and
// "-----Ursprüngliche Nachricht-----" blocks) and apart from the signature
// after "-- ".
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lr::classify {

struct PersonText {
    std::string own;       // without quotes and signature
    std::string signature; // after "-- ", before any quoted history
};

PersonText split_person_text(std::string_view text);

// The number of the first Tel/Telefon/Mobil/Handy label line, as E.164.
std::optional<std::string> labelled_phone(std::string_view text);

} // namespace lr::classify
