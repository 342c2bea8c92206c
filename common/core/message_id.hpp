// The Message-IDs of the mails leadrouter sends (issue #14). A customer's
// or a stranger's mail is attached to a lead when it names one of them in
// In-Reply-To or References, so they must not be guessable:
// "leadrouter.<kind>.<number>.<token>@<domain>" with 128 random bits in
// the token. Each is made once, when its outbox row is written, and stored
// there: a resend keeps it, and a duplicate after a crash is recognisable.
#pragma once

#include <string>
#include <string_view>

namespace lr::core {

// Without angle brackets; token from util::random_hex(outgoing_token_bytes).
std::string outgoing_message_id(std::string_view kind, long long number, std::string_view token,
                                std::string_view domain);

inline constexpr size_t outgoing_token_bytes = 16;

// The domain of an address ("mueller@dein.auto" → "dein.auto").
std::string_view domain_of(std::string_view address);

} // namespace lr::core
