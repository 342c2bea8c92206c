#include "store/pg_array.hpp"

namespace lr::store {

std::string array_literal(const std::vector<std::optional<std::string>>& values) {
    std::string out = "{";
    for (size_t i = 0; i < values.size(); ++i) {
        if (i > 0)
            out += ',';
        if (!values[i]) {
            out += "NULL";
            continue;
        }
        out += '"';
        for (char c : *values[i]) {
            if (c == '"' || c == '\\')
                out += '\\';
            out += c;
        }
        out += '"';
    }
    return out + "}";
}

std::string array_literal(const std::vector<std::string>& values) {
    return array_literal(std::vector<std::optional<std::string>>(values.begin(), values.end()));
}

std::string array_literal(const std::vector<long long>& values) {
    std::string out = "{";
    for (size_t i = 0; i < values.size(); ++i)
        out += (i ? "," : "") + std::to_string(values[i]);
    return out + "}";
}

std::string hex_bytes(std::string_view bytes) {
    static const char digits[] = "0123456789abcdef";
    std::string out = "\\x";
    out.resize(2 + bytes.size() * 2);
    size_t at = 2;
    for (unsigned char c : bytes) {
        out[at++] = digits[c >> 4];
        out[at++] = digits[c & 15];
    }
    return out;
}

std::string bytes_from_hex(std::string_view hex) {
    auto nibble = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
    std::string bytes;
    if (hex.size() < 2)
        return bytes;
    bytes.resize((hex.size() - 2) / 2);
    for (size_t k = 0; k < bytes.size(); ++k)
        bytes[k] = static_cast<char>(nibble(hex[2 + 2 * k]) << 4 | nibble(hex[3 + 2 * k]));
    return bytes;
}

} // namespace lr::store
