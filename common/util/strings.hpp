// Small string helpers shared by parsers and printers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lr::util {

std::string_view trim(std::string_view text);
std::string to_lower(std::string_view text);
// to_lower, and Ä Ö Ü (UTF-8) to ä ö ü: enough to compare German words.
std::string to_lower_german(std::string_view text);
bool iequals(std::string_view a, std::string_view b);
bool starts_with_icase(std::string_view text, std::string_view prefix);
std::vector<std::string> split(std::string_view text, char separator);
std::string join(const std::vector<std::string>& parts, std::string_view separator);

// "<id@host>" → "id@host" (Message-IDs, envelope addresses); other text
// as it is.
std::string without_angles(std::string_view text);

} // namespace lr::util
