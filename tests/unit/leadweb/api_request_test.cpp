#include "api/api_request.hpp"
#include "web/api_token.hpp"

#include <catch2/catch.hpp>

using namespace lr;
using namespace lr::leadweb::api;

namespace {

http::HttpRequest request(const std::string& method, const std::string& path,
                          std::vector<std::pair<std::string, std::string>> query = {},
                          const std::string& body = "") {
    http::HttpRequest out;
    out.method = method;
    out.path = path;
    out.query = std::move(query);
    out.body = body;
    if (!body.empty())
        out.content_type = "application/json";
    return out;
}

ApiError error_of(const http::HttpRequest& r) {
    auto parsed = parse_api_request(r);
    REQUIRE(std::holds_alternative<ApiError>(parsed));
    return std::get<ApiError>(parsed);
}

ApiCall call_of(const http::HttpRequest& r) {
    auto parsed = parse_api_request(r);
    if (auto* error = std::get_if<ApiError>(&parsed))
        FAIL(error->code << " " << error->field.value_or("") << ": " << error->message);
    return std::get<ApiCall>(parsed);
}

} // namespace

TEST_CASE("API requests: routes, scopes and the lead list's filters", "[api]") {
    auto list = call_of(request("GET", "/api/v1/leads",
                                {{"dealer", "mueller"},
                                 {"state", "assigned"},
                                 {"due", "overdue"},
                                 {"limit", "10"},
                                 {"received_from", "2026-12-01T00:00:00Z"}}));
    CHECK(list.endpoint == Endpoint::leads);
    CHECK(list.scope == Scope::read);
    CHECK(list.filter.dealer_id == "mueller");
    CHECK(list.filter.state == "assigned");
    CHECK(list.filter.due == store::DueState::overdue);
    CHECK(list.filter.limit == 10);
    CHECK(list.filter.received_from ==
          core::parse_iso8601("2026-12-01T00:00:00Z", date::locate_zone("UTC")));
    auto claim = call_of(request("POST", "/api/v1/leads/42/claim", {}, "{\"user\": \"weber\"}"));
    CHECK(claim.endpoint == Endpoint::lead_action);
    CHECK(claim.scope == Scope::act);
    CHECK(claim.lead_id == 42);
    CHECK(claim.action == core::LeadAction::claim);
    CHECK(claim.input.user == "weber");
    CHECK(call_of(request("DELETE", "/api/v1/dealers/mueller/absences/weber")).endpoint ==
          Endpoint::absence_clear);
    CHECK(call_of(request("GET", "/api/v1/openapi.json")).scope == Scope::none);
    auto position = decode_cursor(encode_cursor({1765101600123456, 42}));
    REQUIRE(position);
    CHECK(position->received_us == 1765101600123456);
    CHECK(position->id == 42);
}

TEST_CASE("API requests: every malformed part is refused with its field named", "[api]") {
    CHECK(error_of(request("GET", "/api/v1/leads")).field == "dealer");
    CHECK(error_of(request("GET", "/api/v1/leads", {{"dealer", "a b"}})).code == "invalid_value");
    CHECK(error_of(request("GET", "/api/v1/leads", {{"dealer", "m"}, {"limit", "0"}})).field ==
          "limit");
    CHECK(error_of(request("GET", "/api/v1/leads", {{"dealer", "m"}, {"limit", "201"}})).field ==
          "limit");
    CHECK(error_of(request("GET", "/api/v1/leads", {{"dealer", "m"}, {"x", "1"}})).code ==
          "unknown_parameter");
    CHECK(error_of(request("GET", "/api/v1/leads",
                           {{"dealer", "m"}, {"received_from", "2026-12-01T00:00"}}))
              .field == "received_from"); // without an offset
    CHECK(error_of(request("POST", "/api/v1/leads/1/close", {}, "{\"user\": null}")).code ==
          "wrong_type");
    CHECK(error_of(request("POST", "/api/v1/leads/1/reply", {},
                           "{\"user\": \"w\", \"text\": \"x\", \"expose\": \"yes\"}"))
              .field == "expose");
    CHECK(error_of(request("POST", "/api/v1/leads/1/reassign", {}, "{\"user\": \"w\"}")).field ==
          "to");
    CHECK(error_of(request("POST", "/api/v1/dealers/m/absences", {},
                           "{\"user\": \"w\", \"from\": \"2030-01-02T00:00:00Z\", \"to\": "
                           "\"2030-01-01T00:00:00Z\"}"))
              .field == "to");
    auto form = request("POST", "/api/v1/leads/1/close", {}, "user=w");
    form.content_type = "application/x-www-form-urlencoded";
    CHECK(error_of(form).status == 415);
    CHECK(error_of(request("GET", "/api/v1/leads/0")).status == 404);
    CHECK(error_of(request("GET", "/api/v1/leads/1/claim")).status == 405);
    CHECK(error_of(request("POST", "/api/v1/leads/1/explode", {}, "{}")).status == 404);
    CHECK(!decode_cursor("-1.5"));
    CHECK(!decode_cursor("1.5.6"));
}

TEST_CASE("API tokens: only a configured token's hash admits, in any case of Bearer", "[api]") {
    const std::string token = web::new_api_token();
    CHECK(token.size() == 46);
    CHECK(token != web::new_api_token());
    core::ApiToken configured;
    configured.name = "automanager";
    configured.sha256 = web::token_sha256(token);
    const std::vector<core::ApiToken> tokens = {configured};
    CHECK(web::authenticate("Bearer " + token, tokens) == &tokens[0]);
    CHECK(web::authenticate("bearer  " + token + " ", tokens) == &tokens[0]);
    CHECK(web::authenticate("Bearer " + token + "x", tokens) == nullptr);
    CHECK(web::authenticate("Basic " + token, tokens) == nullptr);
    CHECK(web::authenticate("Bearer " + configured.sha256, tokens) ==
          nullptr); // the hash is no token
    CHECK(web::authenticate("", tokens) == nullptr);
    CHECK(web::token_sha256("abc") ==
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
