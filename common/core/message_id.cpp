#include "core/message_id.hpp"

namespace lr::core {

std::string outgoing_message_id(std::string_view kind, long long number, std::string_view token,
                                std::string_view domain) {
    return "leadrouter." + std::string(kind) + "." + std::to_string(number) + "." +
           std::string(token) + "@" + std::string(domain);
}

std::string_view domain_of(std::string_view address) {
    const auto at = address.rfind('@');
    return at == std::string_view::npos ? address : address.substr(at + 1);
}

} // namespace lr::core
