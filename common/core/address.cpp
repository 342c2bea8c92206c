#include "core/address.hpp"

#include "util/strings.hpp"

#include <string>

namespace lr::core {

namespace {

bool is_atext(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return std::string_view("!#$%&'*+/=?^_`{|}~-").find(c) != std::string_view::npos;
}

bool valid_local_part(std::string_view local) {
    if (local.empty() || local.size() > 64 || local.front() == '.' || local.back() == '.')
        return false;
    char previous = 0;
    for (char c : local) {
        if (c == '.' && previous == '.')
            return false;
        if (c != '.' && !is_atext(c))
            return false;
        previous = c;
    }
    return true;
}

bool valid_label(std::string_view label) {
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
        return false;
    for (char c : label) {
        bool ok =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
        if (!ok)
            return false;
    }
    return true;
}

} // namespace

bool is_valid_address(std::string_view address) {
    size_t at = address.rfind('@');
    if (at == std::string_view::npos)
        return false;
    std::string_view domain = address.substr(at + 1);
    if (!valid_local_part(address.substr(0, at)) || domain.size() > 253)
        return false;
    auto labels = util::split(domain, '.');
    if (labels.size() < 2)
        return false;
    for (const auto& label : labels)
        if (!valid_label(label))
            return false;
    return true;
}

std::string canonical_address(std::string_view address) {
    return util::to_lower(util::trim(address));
}

TaggedAddress split_tag(std::string_view address) {
    while (!address.empty() && (address.front() == '<' || address.front() == ' '))
        address.remove_prefix(1);
    while (!address.empty() && (address.back() == '>' || address.back() == ' '))
        address.remove_suffix(1);
    size_t at = address.rfind('@');
    std::string_view local = address.substr(0, at);
    size_t plus = local.find('+');
    if (at == std::string_view::npos || plus == std::string_view::npos)
        return {canonical_address(address), {}};
    return {canonical_address(std::string(local.substr(0, plus)) + std::string(address.substr(at))),
            std::string(local.substr(plus + 1))};
}

} // namespace lr::core
