#include "web/api_token.hpp"

#include "util/strings.hpp"

#include <array>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <stdexcept>

namespace lr::web {

std::string token_sha256(const std::string& token) {
    std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
    SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(), digest.data());
    static const char* const hex = "0123456789abcdef";
    std::string out;
    for (unsigned char byte : digest) {
        out += hex[byte >> 4];
        out += hex[byte & 15];
    }
    return out;
}

const core::ApiToken* authenticate(const std::string& authorization,
                                   const std::vector<core::ApiToken>& tokens) {
    const std::string scheme = "bearer ";
    if (authorization.size() <= scheme.size() || authorization.size() > 512 ||
        util::to_lower(authorization.substr(0, scheme.size())) != scheme)
        return nullptr;
    std::string token = authorization.substr(scheme.size());
    while (!token.empty() && token.front() == ' ')
        token.erase(0, 1);
    while (!token.empty() && token.back() == ' ')
        token.pop_back();
    if (token.empty())
        return nullptr;
    const std::string presented = token_sha256(token);
    const core::ApiToken* found = nullptr;
    // Every hash compared, each in constant time: the answer's timing
    // tells nothing about which prefix matched.
    for (const auto& candidate : tokens)
        if (candidate.sha256.size() == presented.size() &&
            CRYPTO_memcmp(candidate.sha256.data(), presented.data(), presented.size()) == 0)
            found = &candidate;
    return found;
}

std::string new_api_token() {
    std::array<unsigned char, 32> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
        throw std::runtime_error("no random bytes from OpenSSL");
    static const char* const alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out = "lr_";
    unsigned bits = 0;
    int held = 0;
    for (unsigned char byte : bytes) {
        bits = (bits << 8) | byte;
        held += 8;
        while (held >= 6) {
            out += alphabet[(bits >> (held - 6)) & 63];
            held -= 6;
        }
    }
    if (held > 0)
        out += alphabet[(bits << (6 - held)) & 63];
    return out;
}

} // namespace lr::web
