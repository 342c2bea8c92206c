#include "mail/header_value.hpp"

namespace lr::mail {

std::string header_value(std::string_view text, size_t max_chars) {
    std::string out;
    size_t chars = 0;
    bool space = false;
    for (size_t i = 0; i < text.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        if (c < 0x20 || c == 0x7f) { // CR, LF, TAB, NUL and the rest
            space = !out.empty();
            continue;
        }
        if (c == ' ') {
            space = !out.empty();
            continue;
        }
        if ((c & 0xC0) != 0x80) { // the first byte of a character
            if (chars + (space ? 1 : 0) >= max_chars)
                break;
            if (space) {
                out += ' ';
                ++chars;
            }
            space = false;
            ++chars;
        }
        out += static_cast<char>(c);
    }
    return out;
}

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

} // namespace lr::mail
