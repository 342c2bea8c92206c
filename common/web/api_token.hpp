// Who calls the API (issue #16): "Authorization: Bearer <token>", the
// token's SHA-256 compared in constant time with each configured hash
// (system.web.api_tokens). The token itself is never stored or logged.
#pragma once

#include "core/config.hpp"

#include <string>

namespace lr::web {

// The configured token the header names, or nullptr.
const core::ApiToken* authenticate(const std::string& authorization,
                                   const std::vector<core::ApiToken>& tokens);

// Lower-case hex SHA-256 of a token, as the configuration holds it.
std::string token_sha256(const std::string& token);

// A fresh token: "lr_" and 43 base64url characters (256 random bits).
std::string new_api_token();

} // namespace lr::web
