// Authentication-Results header values (RFC 8601) as OpenDKIM, OpenDMARC
// and other authenticating milters write them: the authserv-id, then one
// result per method with its properties. Read tolerantly (comments,
// quoted strings, spaces around "="); a value without an authserv-id is
// nothing.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lr::core {

struct AuthResult {
    std::string method; // dkim, dmarc, spf, ... (lower case)
    std::string result; // pass, fail, none, ... (lower case)
    // "header.d", "header.from", "smtp.mailfrom" ... -> value (lower case)
    std::map<std::string, std::string> properties;

    std::optional<std::string> property(const std::string& name) const;
};

struct AuthenticationResults {
    std::string authserv_id; // lower case
    std::vector<AuthResult> results;
};

std::optional<AuthenticationResults> parse_authentication_results(std::string_view value);

} // namespace lr::core
