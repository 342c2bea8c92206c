// The tokens behind the links in a notice (issue #15): a link lets one
// user do one action to one lead until it expires or the lead changes.
//
// token = base64url(claim) "." base64url(HMAC-SHA256(key, claim))
// claim = "1.<lead>.<action>.<expires>.<version>.<user>"
//
// No state on the server: the lead's version (bumped by every change of
// state or assignee and every person's action, migration 012) is part of
// what is signed, so a token dies when the lead changes, which makes it
// single-use. Pure: keys in, text out; the key file is web/key_ring's.
#pragma once

#include "core/reply_command.hpp"
#include "core/zoned_time.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lr::web {

struct ActionClaim {
    long long lead_id = 0;
    std::string user_id;
    core::LeadAction action = core::LeadAction::react;
    core::Instant expires;
    long long lead_version = 0;
};

// The keys a token may be signed with: the first signs, each verifies
// (two while a key is being rotated).
struct KeyRing {
    std::vector<std::string> keys;
};

std::string sign_token(const ActionClaim& claim, const std::string& key);

enum class TokenCheck { valid, malformed, forged, expired };

struct CheckedToken {
    TokenCheck check = TokenCheck::malformed;
    ActionClaim claim; // set when valid or expired (the signature held)
};

CheckedToken check_token(std::string_view token, const KeyRing& ring, core::Instant now);

// What a log line may say about a token: 12 hex digits of its SHA-256,
// never the token (it is a key to act on the lead).
std::string token_fingerprint(std::string_view token);

// The action's word in a link's path and in the claim ("claim", "react",
// "resubmit", "reassign", "close").
std::string_view link_word(core::LeadAction action);
std::optional<core::LeadAction> action_of_link_word(std::string_view word);

} // namespace lr::web
