#include "core/reply_address.hpp"

#include "util/strings.hpp"

#include <algorithm>
#include <cctype>

namespace lr::core {

std::string reply_address(std::string_view mailbox, std::string_view token) {
    const size_t at = mailbox.rfind('@');
    if (at == std::string_view::npos)
        return std::string(mailbox);
    return std::string(mailbox.substr(0, at)) + "+r" + std::string(token) +
           std::string(mailbox.substr(at));
}

std::optional<std::string> reply_token_of_tag(std::string_view tag) {
    if (tag.size() != 1 + 2 * reply_token_bytes || (tag[0] != 'r' && tag[0] != 'R'))
        return std::nullopt;
    const std::string token = util::to_lower(tag.substr(1));
    if (!std::all_of(token.begin(), token.end(),
                     [](unsigned char c) { return std::isxdigit(c) != 0; }))
        return std::nullopt;
    return token;
}

} // namespace lr::core
