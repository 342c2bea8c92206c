#include "web/action_token.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

namespace lr::web {

namespace {

constexpr std::string_view claim_format = "1";
// A token is short; anything longer is not one of ours and is not hashed.
constexpr size_t max_token_chars = 512;

// base64url without padding (RFC 4648 §5) through OpenSSL's base64.
std::string base64url(std::string_view bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    const int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                       reinterpret_cast<const unsigned char*>(bytes.data()),
                                       static_cast<int>(bytes.size()));
    out.resize(static_cast<size_t>(length));
    while (!out.empty() && out.back() == '=')
        out.pop_back();
    for (char& c : out)
        c = c == '+' ? '-' : c == '/' ? '_' : c;
    return out;
}

std::optional<std::string> from_base64url(std::string_view text) {
    if (text.size() % 4 == 1)
        return std::nullopt;
    std::string padded(text);
    for (char& c : padded) {
        if (c == '+' || c == '/' || c == '=')
            return std::nullopt; // not the URL alphabet
        c = c == '-' ? '+' : c == '_' ? '/' : c;
    }
    const size_t padding = (4 - padded.size() % 4) % 4;
    padded.append(padding, '=');
    std::string out(padded.size() / 4 * 3, '\0');
    const int length = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                       reinterpret_cast<const unsigned char*>(padded.data()),
                                       static_cast<int>(padded.size()));
    if (length < 0)
        return std::nullopt;
    out.resize(static_cast<size_t>(length) - padding);
    // Only the canonical form: the same bytes encode to the same text.
    if (base64url(out) != text)
        return std::nullopt;
    return out;
}

std::string mac(std::string_view claim, const std::string& key) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(claim.data()), claim.size(), digest.data(),
         &length);
    return std::string(reinterpret_cast<const char*>(digest.data()), length);
}

std::string claim_text(const ActionClaim& claim) {
    return std::string(claim_format) + "." + std::to_string(claim.lead_id) + "." +
           std::string(link_word(claim.action)) + "." +
           std::to_string(claim.expires.time_since_epoch().count()) + "." +
           std::to_string(claim.lead_version) + "." + claim.user_id;
}

template <class Number> std::optional<Number> number(std::string_view text) {
    Number value{};
    if (text.empty() || text.size() > 19)
        return std::nullopt;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value < 0)
        return std::nullopt;
    return value;
}

// The fields of "1.<lead>.<action>.<expires>.<version>.<user>".
std::optional<ActionClaim> parse_claim(std::string_view text) {
    std::array<std::string_view, 5> fields;
    for (auto& field : fields) {
        const auto dot = text.find('.');
        if (dot == std::string_view::npos)
            return std::nullopt;
        field = text.substr(0, dot);
        text.remove_prefix(dot + 1);
    }
    if (fields[0] != claim_format || text.empty())
        return std::nullopt;
    auto lead = number<long long>(fields[1]);
    auto action = action_of_link_word(fields[2]);
    auto expires = number<long long>(fields[3]);
    auto version = number<long long>(fields[4]);
    if (!lead || !action || !expires || !version)
        return std::nullopt;
    return ActionClaim{*lead, std::string(text), *action,
                       core::Instant{std::chrono::seconds{*expires}}, *version};
}

} // namespace

std::string sign_token(const ActionClaim& claim, const std::string& key) {
    const std::string text = claim_text(claim);
    return base64url(text) + "." + base64url(mac(text, key));
}

CheckedToken check_token(std::string_view token, const KeyRing& ring, core::Instant now) {
    CheckedToken result;
    if (token.size() > max_token_chars)
        return result;
    const auto dot = token.find('.');
    if (dot == std::string_view::npos)
        return result;
    auto text = from_base64url(token.substr(0, dot));
    auto signature = from_base64url(token.substr(dot + 1));
    if (!text || !signature || signature->size() != SHA256_DIGEST_LENGTH)
        return result;
    bool signed_by_us = false;
    for (const auto& key : ring.keys) {
        const std::string expected = mac(*text, key);
        if (CRYPTO_memcmp(expected.data(), signature->data(), expected.size()) == 0)
            signed_by_us = true;
    }
    if (!signed_by_us) {
        result.check = TokenCheck::forged;
        return result;
    }
    // Signed by us, so the claim is ours; a claim we cannot read would be a
    // bug in sign_token, and it is treated as malformed all the same.
    auto claim = parse_claim(*text);
    if (!claim)
        return result;
    result.claim = std::move(*claim);
    result.check = result.claim.expires <= now ? TokenCheck::expired : TokenCheck::valid;
    return result;
}

std::string token_fingerprint(std::string_view token) {
    std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
    SHA256(reinterpret_cast<const unsigned char*>(token.data()),
           std::min(token.size(), max_token_chars), digest.data());
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (size_t i = 0; i < 6; ++i) {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 0xF];
    }
    return out;
}

std::string_view link_word(core::LeadAction action) {
    switch (action) {
    case core::LeadAction::claim:
        return "claim";
    case core::LeadAction::react:
        return "react";
    case core::LeadAction::resubmit:
        return "resubmit";
    case core::LeadAction::reassign:
        return "reassign";
    case core::LeadAction::close:
        return "close";
    case core::LeadAction::reply:
        return "reply";
    }
    return "react";
}

std::optional<core::LeadAction> action_of_link_word(std::string_view word) {
    for (auto action :
         {core::LeadAction::claim, core::LeadAction::react, core::LeadAction::resubmit,
          core::LeadAction::reassign, core::LeadAction::close, core::LeadAction::reply})
        if (link_word(action) == word)
            return action;
    return std::nullopt;
}

} // namespace lr::web
