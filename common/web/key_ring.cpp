#include "web/key_ring.hpp"

#include "util/secret_file.hpp"

#include <string_view>

namespace lr::web {

namespace {

constexpr size_t max_file_bytes = 4096;
constexpr size_t min_key_chars = 32;
constexpr size_t max_keys = 2;

Error unusable(const std::string& path, const std::string& why) {
    return make_error(ErrorCode::invalid_input, "secret_file " + path + ": " + why);
}

} // namespace

Result<KeyRing> read_key_ring(const std::string& path) {
    auto text = util::read_secret_file(path, max_file_bytes, util::SecretAccess::owner_only);
    if (!text)
        return unusable(path, text.error().message);

    KeyRing ring;
    std::string_view rest(*text);
    size_t line_number = 0;
    while (!rest.empty()) {
        const auto end = rest.find('\n');
        std::string_view line = rest.substr(0, end);
        rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
        ++line_number;
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
            line.remove_suffix(1);
        while (!line.empty() && (line.front() == ' ' || line.front() == '\t'))
            line.remove_prefix(1);
        if (line.empty() || line.front() == '#')
            continue;
        if (line.size() < min_key_chars)
            return unusable(path, "line " + std::to_string(line_number) +
                                      ": a key needs at least 32 characters (openssl rand "
                                      "-hex 32)");
        ring.keys.emplace_back(line);
    }
    if (ring.keys.empty())
        return unusable(path, "no key (one a line; openssl rand -hex 32)");
    if (ring.keys.size() > max_keys)
        return unusable(path, "more than two keys: the new one and the one being retired");
    return ring;
}

} // namespace lr::web
