// Plain-text tables for terminal output, aligned by characters (UTF-8
// aware, so "Yılmaz" lines up with "Weber").
#pragma once

#include <string>
#include <vector>

namespace lr::util {

size_t display_width(const std::string& text);
std::string render_table(const std::vector<std::string>& headers,
                         const std::vector<std::vector<std::string>>& rows);

} // namespace lr::util
