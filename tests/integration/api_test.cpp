// Issue #16: the integration API against the real leadweb process and a
// real PostgreSQL. Every endpoint with a real HTTP client; every JSON
// answer recorded and checked against the OpenAPI document by
// tests/api/validate_responses.py (python3-jsonschema); tenant isolation,
// scopes, and what a stranger could send.
#include "leadweb_harness.hpp"
#include "util/json.hpp"
#include "web/api_token.hpp"

#include <set>

using namespace lr;
using namespace lr::test;

namespace {

const std::string all_token = "lr_test-token-for-every-dealer-0123456789abcdef";
const std::string read_token = "lr_test-token-read-only-mueller-0123456789abcd";
const std::string nord_token = "lr_test-token-for-dealer-nord-0123456789abcdef";

std::string token_lines() {
    auto entry = [](const std::string& name, const std::string& token, const std::string& dealers,
                    const std::string& scopes) {
        return "      - name: " + name + "\n        sha256: \"" + web::token_sha256(token) +
               "\"\n        dealers: " + dealers + "\n        scopes: " + scopes + "\n";
    };
    return "    request_timeout: 2\n    api_tokens:\n" +
           entry("automanager", all_token, "\"*\"", "[read, act]") +
           entry("reporting", read_token, "[mueller]", "[read]") +
           entry("nord-app", nord_token, "[nord]", "[read, act]");
}

// leadweb with three API tokens; every answer it gives is recorded.
struct ApiHarness : WebHarness {
    ApiHarness() : WebHarness(pool_mode(false), token_lines()) {}

    HttpReply call(const std::string& method, const std::string& path, const std::string& token,
                   const std::string& body = "",
                   const std::string& content_type = "application/json") {
        std::vector<std::string> headers;
        if (!token.empty())
            headers.push_back("Authorization: Bearer " + token);
        if (!body.empty())
            headers.push_back("Content-Type: " + content_type);
        auto reply = http(method, base() + path, web_host, body, std::chrono::seconds(20), headers);
        INFO(method << " " << path << " -> " << reply.status << " " << reply.body);
        CHECK(reply.status != 500);
        CHECK(reply.status != 0);
        if (reply.headers["content-type"] == "application/json")
            recorded.push_back(Json{
                {"method", method}, {"path", path}, {"status", reply.status}, {"body", reply.body}}
                                   .dump());
        return reply;
    }

    static Json json(const HttpReply& reply) { return Json::parse(reply.body); }

    // The recorded answers, checked against the OpenAPI document.
    void validate_recorded() {
        const std::string file = directory + "/responses.jsonl";
        {
            std::ofstream out(file);
            for (const auto& line : recorded)
                out << line << "\n";
        }
        const std::string log = directory + "/validate.log";
        const int rc = run_program(
            {"/usr/bin/python3",
             std::string(LEADROUTER_SOURCE_DIR) + "/tests/api/validate_responses.py",
             std::string(LEADROUTER_SOURCE_DIR) + "/daemon/leadweb/api/openapi.json", file},
            log);
        INFO(read_text_file(log));
        CHECK(rc == 0);
    }

    std::vector<std::string> recorded;
};

long long action_count(const TestDatabase& db, const std::string& where) {
    return db.exec("SELECT count(*) FROM lead_actions WHERE " + where).integer(0, 0);
}

} // namespace

TEST_CASE("API: the lead list pages through every lead once, its filters select, one lead comes "
          "whole, and the document is served",
          "[api][leadweb]") {
    ApiHarness web;
    std::set<long long> seeded;
    for (int i = 0; i < 5; ++i)
        seeded.insert(add_lead(web.db, {.email = "kunde" + std::to_string(i) + "@ex.org"}));
    const long long held = add_lead(
        web.db,
        {.email = "held@ex.org", .kind = "tradein", .state = "assigned", .assignee = "weber"});
    seeded.insert(held);
    add_lead(web.db, {.dealer = "nord", .email = "fremd@ex.org"});

    auto document = web.call("GET", "/api/v1/openapi.json", "");
    REQUIRE(document.status == 200);
    CHECK(ApiHarness::json(document)["openapi"] == "3.1.0");

    std::set<long long> seen;
    std::string cursor;
    int pages = 0;
    do {
        auto page = web.call("GET",
                             "/api/v1/leads?dealer=mueller&limit=2" +
                                 (cursor.empty() ? "" : "&cursor=" + cursor),
                             all_token);
        REQUIRE(page.status == 200);
        auto body = ApiHarness::json(page);
        for (const auto& lead : body["leads"])
            CHECK(seen.insert(lead["id"].get<long long>()).second);
        cursor = body["next_cursor"].is_null() ? "" : body["next_cursor"].get<std::string>();
        ++pages;
    } while (!cursor.empty() && pages < 10);
    CHECK(seen == seeded); // nord's lead is not among them
    CHECK(pages == 4);     // 2 + 2 + 2, then an empty last page

    auto filtered = ApiHarness::json(
        web.call("GET", "/api/v1/leads?dealer=mueller&state=assigned&assignee=weber&kind=tradein",
                 all_token));
    REQUIRE(filtered["leads"].size() == 1);
    CHECK(filtered["leads"][0]["id"] == held);
    CHECK(ApiHarness::json(
              web.call("GET", "/api/v1/leads?dealer=mueller&state=closed", all_token))["leads"]
              .empty());
    CHECK(ApiHarness::json(
              web.call("GET", "/api/v1/leads?dealer=mueller&received_from=2099-01-01T00:00:00Z",
                       all_token))["leads"]
              .empty());
    CHECK(ApiHarness::json(web.call("GET", "/api/v1/leads?dealer=mueller&due=none&limit=200",
                                    all_token))["leads"]
              .size() == seeded.size());

    auto detail = web.call("GET", "/api/v1/leads/" + std::to_string(held), read_token);
    REQUIRE(detail.status == 200);
    auto lead = ApiHarness::json(detail);
    CHECK(lead["id"] == held);
    CHECK(lead["dealer"] == "mueller");
    CHECK(lead["contact"]["email"] == "held@ex.org");
    CHECK(lead["assignee"] == "weber");
    CHECK(lead["kind"] == "tradein");
    CHECK(web.call("HEAD", "/api/v1/leads/" + std::to_string(held), read_token).status == 200);
    web.validate_recorded();
}

TEST_CASE("API: claim, respond, reassign, resubmit, close and reply act as the named user, "
          "refusals say why, and the audit trail names channel api and the token",
          "[api][leadweb]") {
    ApiHarness web;
    const long long pooled = pool_lead(web.db, "pool@ex.org");
    const auto act = [&](long long lead, const std::string& action, const Json& body) {
        return web.call("POST", "/api/v1/leads/" + std::to_string(lead) + "/" + action, all_token,
                        body.dump());
    };

    auto claimed = act(pooled, "claim", {{"user", "weber"}});
    REQUIRE(claimed.status == 200);
    CHECK(ApiHarness::json(claimed)["lead"]["assignee"] == "weber");
    // The slower colleague: refused, with the reason.
    auto refused = act(pooled, "claim", {{"user", "schmidt"}});
    CHECK(refused.status == 409);
    CHECK(ApiHarness::json(refused)["error"]["code"] == "refused");
    CHECK(ApiHarness::json(refused)["error"]["reason"] == "not_in_pool");

    const long long lead =
        add_lead(web.db, {.email = "kunde@ex.org", .state = "assigned", .assignee = "weber"});
    auto not_yours = act(lead, "respond", {{"user", "yilmaz"}});
    CHECK(not_yours.status == 409);
    CHECK(ApiHarness::json(not_yours)["error"]["reason"] == "not_yours");

    auto resubmitted =
        act(lead, "resubmit", {{"user", "weber"}, {"at", "2099-03-02T10:00:00+01:00"}});
    CHECK(resubmitted.status == 200);
    CHECK(web.db
              .exec("SELECT count(*) FROM scheduled_events WHERE lead_id = $1 AND kind = "
                    "'resubmission' AND state = 'pending'",
                    {std::to_string(lead)})
              .integer(0, 0) == 1);

    auto reassigned = act(lead, "reassign", {{"user", "mayer"}, {"to", "yilmaz"}});
    REQUIRE(reassigned.status == 200);
    CHECK(ApiHarness::json(reassigned)["lead"]["assignee"] == "yilmaz");
    CHECK(act(lead, "reassign", {{"user", "weber"}, {"to", "schmidt"}}).status == 409);

    auto replied =
        act(lead, "reply", {{"user", "yilmaz"}, {"text", "Guten Tag,\nder Wagen ist da."}});
    REQUIRE(replied.status == 200);
    CHECK(ApiHarness::json(replied)["to"] == "kunde@ex.org");
    CHECK(web.db
              .exec("SELECT count(*) FROM outbox WHERE lead_id = $1 AND kind = 'reply'",
                    {std::to_string(lead)})
              .integer(0, 0) == 1);

    auto responded = act(lead, "respond", {{"user", "yilmaz"}});
    REQUIRE(responded.status == 200);
    CHECK(ApiHarness::json(responded)["lead"]["state"] == "responded");
    auto closed = act(lead, "close", {{"user", "admin"}});
    REQUIRE(closed.status == 200);
    CHECK(ApiHarness::json(closed)["lead"]["state"] == "closed");
    CHECK(act(lead, "respond", {{"user", "yilmaz"}}).status == 409);

    CHECK(action_count(web.db, "channel = 'api' AND integration = 'automanager'") == 6);
    CHECK(action_count(web.db, "channel <> 'api' OR integration IS NULL") == 0);
    CHECK(web.db.exec("SELECT actor FROM assignments WHERE rule = 'reassign'").text(0, 0) ==
          "api:automanager");
    auto trail =
        ApiHarness::json(web.call("GET", "/api/v1/leads/" + std::to_string(lead), all_token));
    REQUIRE(trail["actions"].size() == 5);
    CHECK(trail["actions"][0]["action"] == "resubmission");
    CHECK(trail["actions"][0]["channel"] == "api");
    CHECK(trail["actions"][0]["integration"] == "automanager");
    CHECK(trail["state"] == "closed");
    web.validate_recorded();
}

TEST_CASE("API: users, absences set, listed and cleared, and the escalation preview",
          "[api][leadweb]") {
    ApiHarness web;
    auto users = web.call("GET", "/api/v1/dealers/mueller/users", read_token);
    REQUIRE(users.status == 200);
    std::set<std::string> ids;
    const Json listed_users = ApiHarness::json(users);
    for (const auto& user : listed_users["users"])
        ids.insert(user["id"].get<std::string>());
    CHECK(ids.count("weber") == 1);
    CHECK(ids.count("admin") == 1);

    auto set = web.call("POST", "/api/v1/dealers/mueller/absences", all_token,
                        Json{{"user", "weber"},
                             {"from", "2030-07-01T00:00:00+02:00"},
                             {"to", "2030-07-15T00:00:00+02:00"},
                             {"note", "Urlaub"}}
                            .dump());
    REQUIRE(set.status == 201);
    CHECK(ApiHarness::json(set)["absence"]["note"] == "Urlaub");
    auto listed = ApiHarness::json(web.call("GET", "/api/v1/dealers/mueller/absences", read_token));
    REQUIRE(listed["absences"].size() == 1);
    CHECK(listed["absences"][0]["from"] == "2030-07-01T00:00:00+02:00");
    auto cleared = web.call("DELETE", "/api/v1/dealers/mueller/absences/weber", all_token);
    REQUIRE(cleared.status == 200);
    CHECK(ApiHarness::json(cleared)["cleared"] == 1);
    CHECK(web.db.exec("SELECT count(*) FROM absences").integer(0, 0) == 0);

    // Monday 2026-12-07 09:00 in Hamburg: level 1 two working hours later.
    auto plan = web.call("GET", "/api/v1/dealers/mueller/plan?received=2026-12-07T09:00:00%2B01:00",
                         read_token);
    REQUIRE(plan.status == 200);
    CHECK(ApiHarness::json(plan)["level1"]["due"] == "2026-12-07T11:00:00+01:00");
    auto resubmission = web.call(
        "GET", "/api/v1/dealers/mueller/plan?resubmission=2026-12-07T10:00:00Z", read_token);
    CHECK(resubmission.status == 200);
    CHECK(ApiHarness::json(resubmission).contains("level2_resubmission"));
    web.validate_recorded();
}

TEST_CASE("API: a token sees only its dealers (404, as for what does not exist), a read-only "
          "token cannot act (403), and no token or a wrong one gets 401, changing nothing",
          "[api][leadweb][attacker]") {
    ApiHarness web;
    const long long mueller_lead =
        add_lead(web.db, {.email = "m@ex.org", .state = "assigned", .assignee = "weber"});
    const long long nord_lead = add_lead(web.db, {.dealer = "nord", .email = "n@ex.org"});
    const std::string before = web.snapshot();
    const std::string m = std::to_string(mueller_lead);
    const Json as_weber{{"user", "weber"}};
    struct Probe {
        std::string method, path, body;
    };
    const std::vector<Probe> of_mueller = {
        {"GET", "/api/v1/leads?dealer=mueller", ""},
        {"GET", "/api/v1/leads/" + m, ""},
        {"POST", "/api/v1/leads/" + m + "/claim", as_weber.dump()},
        {"POST", "/api/v1/leads/" + m + "/respond", as_weber.dump()},
        {"POST", "/api/v1/leads/" + m + "/reassign",
         Json{{"user", "mayer"}, {"to", "yilmaz"}}.dump()},
        {"POST", "/api/v1/leads/" + m + "/resubmit",
         Json{{"user", "weber"}, {"at", "2099-01-01T10:00:00Z"}}.dump()},
        {"POST", "/api/v1/leads/" + m + "/close", as_weber.dump()},
        {"POST", "/api/v1/leads/" + m + "/reply", Json{{"user", "weber"}, {"text", "x"}}.dump()},
        {"GET", "/api/v1/dealers/mueller/users", ""},
        {"GET", "/api/v1/dealers/mueller/absences", ""},
        {"POST", "/api/v1/dealers/mueller/absences",
         Json{{"user", "weber"}, {"from", "2030-01-01T00:00:00Z"}, {"to", "2030-01-02T00:00:00Z"}}
             .dump()},
        {"DELETE", "/api/v1/dealers/mueller/absences/weber", ""},
        {"GET", "/api/v1/dealers/mueller/plan?received=2026-12-07T09:00:00Z", ""}};
    for (const auto& probe : of_mueller) {
        INFO(probe.method << " " << probe.path);
        auto other = web.call(probe.method, probe.path, nord_token, probe.body);
        CHECK(other.status == 404);
        CHECK(ApiHarness::json(other)["error"]["code"] == "not_found");
        CHECK(web.call(probe.method, probe.path, "", probe.body).status == 401);
        CHECK(web.call(probe.method, probe.path, "lr_not-a-configured-token", probe.body).status ==
              401);
        if (probe.method != "GET")
            CHECK(web.call(probe.method, probe.path, read_token, probe.body).status == 403);
    }
    // The other way round: nord's lead is as absent for mueller's tokens as
    // a lead that never existed.
    auto foreign = web.call("GET", "/api/v1/leads/" + std::to_string(nord_lead), read_token);
    auto missing = web.call("GET", "/api/v1/leads/999999", read_token);
    CHECK(foreign.status == 404);
    CHECK(foreign.body == missing.body);
    CHECK(web.snapshot() == before);
    web.validate_recorded();
}

TEST_CASE("API: what a stranger sends (broken JSON, unknown fields, wrong types, SQL, oversized "
          "and repeated parameters) gets a 400 naming the field, never a 500",
          "[api][leadweb][attacker]") {
    ApiHarness web;
    const long long lead =
        add_lead(web.db, {.email = "k@ex.org", .state = "assigned", .assignee = "weber"});
    const std::string respond = "/api/v1/leads/" + std::to_string(lead) + "/respond";
    const std::string before = web.snapshot();
    auto expect_400 = [&](const HttpReply& reply, const std::string& code,
                          const std::optional<std::string>& field) {
        CHECK(reply.status == 400);
        auto body = ApiHarness::json(reply);
        CHECK(body["error"]["code"] == code);
        if (field)
            CHECK(body["error"]["field"] == *field);
    };
    expect_400(web.call("POST", respond, all_token, "{\"user\": \"weber\""), "malformed_json", {});
    expect_400(web.call("POST", respond, all_token, "[1, 2]"), "malformed_json", {});
    expect_400(web.call("POST", respond, all_token, "{\"user\": \"weber\", \"admin\": true}"),
               "unknown_field", "admin");
    expect_400(web.call("POST", respond, all_token, "{\"user\": 42}"), "wrong_type", "user");
    expect_400(web.call("POST", respond, all_token, "{}"), "missing_field", "user");
    expect_400(web.call("POST", respond, all_token, "{\"user\": \"weber' OR '1'='1\"}"),
               "invalid_value", "user");
    expect_400(web.call("POST", "/api/v1/leads/" + std::to_string(lead) + "/resubmit", all_token,
                        "{\"user\": \"weber\", \"at\": \"morgen\"}"),
               "invalid_value", "at");
    CHECK(web.call("POST", respond, all_token, "user=weber", "application/x-www-form-urlencoded")
              .status == 415);
    expect_400(web.call("GET", "/api/v1/leads?dealer=mueller'%20OR%201=1--", all_token),
               "invalid_value", "dealer");
    expect_400(web.call("GET", "/api/v1/leads?dealer=mueller&dealer=nord", all_token),
               "repeated_parameter", "dealer");
    expect_400(web.call("GET", "/api/v1/leads?dealer=mueller&limit=100000", all_token),
               "invalid_value", "limit");
    expect_400(web.call("GET", "/api/v1/leads?dealer=mueller&cursor=1.2.3", all_token),
               "invalid_value", "cursor");
    expect_400(
        web.call("GET", "/api/v1/leads?dealer=mueller&sort=id;DROP%20TABLE%20leads", all_token),
        "unknown_parameter", "sort");
    expect_400(web.call("GET", "/api/v1/leads", all_token), "missing_parameter", "dealer");
    // SQL in a free-text filter is a value like any other.
    auto sql = web.call("GET", "/api/v1/leads?dealer=mueller&source=x'%20OR%20'1'='1", all_token);
    CHECK(sql.status == 200);
    CHECK(ApiHarness::json(sql)["leads"].empty());
    // Oversized: a parameter of 20 KB, a body of 100 KB.
    auto long_query = web.call("GET", "/api/v1/leads?dealer=" + std::string(20000, 'a'), all_token);
    CHECK(long_query.status >= 400);
    CHECK(long_query.status < 500);
    auto big = http("POST", web.base() + respond, web_host,
                    "{\"user\": \"" + std::string(100000, 'w') + "\"}", std::chrono::seconds(20),
                    {"Authorization: Bearer " + all_token, "Content-Type: application/json"});
    CHECK(big.status == 413);
    CHECK(web.call("PUT", respond, all_token, "{\"user\": \"weber\"}").status == 405);
    CHECK(web.call("GET", "/api/v1/leads/abc", all_token).status == 404);
    CHECK(web.call("GET", "/api/v1/nothing", all_token).status == 404);
    CHECK(web.call("GET", "/api/v1/leads/99999999999999999999999", all_token).status == 404);
    CHECK(web.snapshot() == before);
    web.validate_recorded();
}

TEST_CASE("API: a person's data exported and erased through the API, only with the act scope "
          "and only at the token's dealers",
          "[api][leadweb][privacy]") {
    ApiHarness web;
    const long long lead =
        add_lead(web.db, {.email = "privat@example.net", .state = "assigned", .assignee = "weber"});
    web.db.exec("INSERT INTO messages (dealer_id, kind, lead_id, envelope_from, raw) VALUES "
                "('mueller', 'lead', $1, 'privat@example.net', convert_to('Hallo, Privatmann "
                "hier', 'UTF8'))",
                {std::to_string(lead)});
    add_lead(web.db, {.email = "andere@example.net"});
    const std::string exporting =
        "/api/v1/dealers/mueller/privacy/export?contact=privat@example.net";
    const std::string erasing = "/api/v1/dealers/mueller/privacy/erase";
    const std::string body = Json{{"contact", "Privat@Example.NET"}}.dump();

    CHECK(web.call("GET", exporting, read_token).status == 403);
    CHECK(web.call("POST", erasing, read_token, body).status == 403);
    CHECK(web.call("GET", exporting, nord_token).status == 404);
    CHECK(web.call("POST", erasing, nord_token, body).status == 404);

    auto exported = web.call("GET", exporting, all_token);
    REQUIRE(exported.status == 200);
    const auto document = ApiHarness::json(exported);
    REQUIRE(document["leads"].size() == 1);
    CHECK(document["leads"][0]["id"] == lead);
    REQUIRE(document["files"].size() == 1);
    CHECK(document["files"].begin().value() == "SGFsbG8sIFByaXZhdG1hbm4gaGllcg==");

    auto dry = web.call("POST", erasing, all_token,
                        Json{{"contact", "privat@example.net"}, {"dry_run", true}}.dump());
    REQUIRE(dry.status == 200);
    CHECK(ApiHarness::json(dry)["leads"] == 1);
    CHECK(web.db.exec("SELECT count(*) FROM contacts WHERE email = 'privat@example.net'")
              .integer(0, 0) == 1);
    auto erased = web.call("POST", erasing, all_token, body);
    REQUIRE(erased.status == 200);
    CHECK(ApiHarness::json(erased)["messages"] == 1);
    CHECK(web.db.exec("SELECT count(*) FROM contacts WHERE email = 'privat@example.net'")
              .integer(0, 0) == 0);
    CHECK(web.db.exec("SELECT count(*) FROM contacts WHERE email = 'andere@example.net'")
              .integer(0, 0) == 1);
    CHECK(web.db.exec("SELECT actor FROM privacy_log WHERE action = 'erase'").text(0, 0) ==
          "api:automanager");
    auto bad = web.call("POST", erasing, all_token, Json{{"contact", "weder noch"}}.dump());
    CHECK(bad.status == 400);
    CHECK(ApiHarness::json(bad)["error"]["field"] == "contact");
    web.validate_recorded();
}
