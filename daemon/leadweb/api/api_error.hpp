// The API's refusals (issue #16): an HTTP status, a stable code a program
// can switch on, a sentence for the person reading the log, and the field
// that was wrong when one was. Never a stack trace or SQL text.
#pragma once

#include "http/http_server.hpp"
#include "util/json.hpp"

#include <optional>
#include <string>

namespace lr::leadweb::api {

struct ApiError {
    int status = 400;
    std::string code;    // unauthorized, forbidden, not_found, invalid_field, ...
    std::string message; // English, one sentence
    std::optional<std::string> field;
    std::optional<std::string> reason = std::nullopt; // refused: why (core::refusal_name)
};

ApiError bad_field(const std::string& field, const std::string& code, const std::string& message);
ApiError not_found();

http::HttpResponse json_response(int status, const Json& body);
http::HttpResponse error_response(const ApiError& error);

} // namespace lr::leadweb::api
