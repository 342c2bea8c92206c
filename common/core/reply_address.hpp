// The reply address of a notice to one user (issue #14): the dealer's
// mailbox tagged with "r" and a token only that user was sent for that
// lead, like Discourse's reply keys. A mail to it from that user's From is
// proven to be theirs. Lead tracking tags (mailbox+<16 hex>) never look
// like it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lr::core {

inline constexpr size_t reply_token_bytes = 16; // 128 random bits, 32 hex digits

// "mueller@dein.auto" + token → "mueller+r<token>@dein.auto"
std::string reply_address(std::string_view mailbox, std::string_view token);

// The token (lower case) when a recipient's +tag is a reply address's.
std::optional<std::string> reply_token_of_tag(std::string_view tag);

} // namespace lr::core
