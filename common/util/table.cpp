#include "util/table.hpp"

#include <algorithm>

namespace lr::util {

size_t display_width(const std::string& text) {
    return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

std::string render_table(const std::vector<std::string>& headers,
                         const std::vector<std::vector<std::string>>& rows) {
    std::vector<size_t> widths(headers.size(), 0);
    auto measure = [&](const std::vector<std::string>& row) {
        for (size_t i = 0; i < row.size() && i < widths.size(); ++i)
            widths[i] = std::max(widths[i], display_width(row[i]));
    };
    measure(headers);
    for (const auto& row : rows)
        measure(row);

    auto line = [&](const std::vector<std::string>& row) {
        std::string out;
        for (size_t i = 0; i < widths.size(); ++i) {
            std::string cell = i < row.size() ? row[i] : "";
            out += cell;
            if (i + 1 < widths.size())
                out += std::string(widths[i] - display_width(cell) + 2, ' ');
        }
        while (!out.empty() && out.back() == ' ')
            out.pop_back();
        return out + "\n";
    };
    std::string out = line(headers);
    for (const auto& row : rows)
        out += line(row);
    return out;
}

} // namespace lr::util
