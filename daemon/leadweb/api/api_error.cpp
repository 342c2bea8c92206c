#include "api_error.hpp"

namespace lr::leadweb::api {

ApiError bad_field(const std::string& field, const std::string& code, const std::string& message) {
    return {400, code, message, field};
}

// The same answer for a lead or dealer that does not exist and one the
// token may not see: no existence oracle.
ApiError not_found() {
    return {404, "not_found", "no such resource, or not one this token may see", std::nullopt};
}

http::HttpResponse json_response(int status, const Json& body) {
    http::HttpResponse response;
    response.status = status;
    response.content_type = "application/json";
    // Invalid UTF-8 from a stored mail is replaced, never a throw.
    response.body = body.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
    response.headers = {{"Cache-Control", "no-store"},
                        {"X-Content-Type-Options", "nosniff"},
                        {"Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"},
                        {"Referrer-Policy", "no-referrer"}};
    return response;
}

http::HttpResponse error_response(const ApiError& error) {
    Json detail{{"code", error.code}, {"message", error.message}};
    if (error.field)
        detail["field"] = *error.field;
    if (error.reason)
        detail["reason"] = *error.reason;
    auto response = json_response(error.status, Json{{"error", std::move(detail)}});
    if (error.status == 401)
        response.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"leadrouter\"");
    return response;
}

} // namespace lr::leadweb::api
