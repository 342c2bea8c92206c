#include "api_site.hpp"

#include "api_request.hpp"
#include "classify/phone.hpp"
#include "core/calendar.hpp"
#include "core/lead_permission.hpp"
#include "log/log.hpp"
#include "mail/command_reply_text.hpp"
#include "metrics/registry.hpp"
#include "reply/customer_reply.hpp"
#include "store/absence_store.hpp"
#include "store/lead_command.hpp"
#include "store/privacy_store.hpp"
#include "store/user_status.hpp"
#include "views/json_views.hpp"
#include "web/api_token.hpp"

#include <openssl/evp.h>

namespace lr::embedded {
extern const std::string_view openapi_json;
}

namespace lr::leadweb::api {

namespace {

using http::HttpResponse;

ApiError unavailable(const Error& error) {
    log::error("leadweb api: database: " + error.message);
    return {503, "unavailable", "the database does not answer; try again in a minute",
            std::nullopt};
}

// Everything a call needs while it runs.
struct Call {
    const ApiCall& call;
    const core::ApiToken& token;
    const core::Config& config;
    store::PooledConnection& connection;
    core::Instant now;
};

// The dealer the call names, as the token may see it.
const core::Dealer* visible_dealer(const Call& c, const std::string& dealer_id) {
    if (!c.token.sees(dealer_id))
        return nullptr;
    return c.config.find_dealer(dealer_id);
}

using Answer = std::variant<HttpResponse, ApiError>;

Answer list_leads(const Call& c) {
    const core::Dealer* dealer = visible_dealer(c, c.call.dealer);
    if (!dealer)
        return not_found();
    auto rows = store::find_leads(*c.connection, c.call.filter, c.now);
    if (!rows)
        return unavailable(rows.error());
    Json leads = Json::array();
    for (const auto& row : *rows)
        leads.push_back(views::lead_row_json(row, dealer->timezone));
    Json next = nullptr;
    if (static_cast<int>(rows->size()) == c.call.filter.limit && !rows->empty())
        next = encode_cursor({rows->back().received_us, rows->back().id});
    return json_response(200, Json{{"leads", std::move(leads)}, {"next_cursor", next}});
}

// The lead's dealer when the token may see it; not_found otherwise.
std::variant<const core::Dealer*, ApiError> lead_dealer(const Call& c) {
    auto dealer_id = store::dealer_of_lead(*c.connection, c.call.lead_id);
    if (!dealer_id)
        return unavailable(dealer_id.error());
    const core::Dealer* dealer = *dealer_id ? visible_dealer(c, **dealer_id) : nullptr;
    if (!dealer)
        return not_found();
    return dealer;
}

Answer show_lead(const Call& c) {
    auto lead = store::lead_detail(*c.connection, c.call.lead_id, c.now);
    if (!lead)
        return unavailable(lead.error());
    // Read first, then asked whether the token may see it: one statement,
    // and the same 404 either way.
    const core::Dealer* dealer = *lead ? visible_dealer(c, (*lead)->dealer_id) : nullptr;
    if (!dealer)
        return not_found();
    return json_response(200, views::lead_detail_json(**lead, dealer->timezone));
}

ApiError refused(core::Refusal refusal, const store::LeadFacts& facts, const core::Dealer& dealer,
                 const core::ReplyCommand& command) {
    core::LeadStanding standing{facts.id, facts.state, facts.assignee, std::nullopt};
    const core::User* holder = facts.assignee ? dealer.find_user(*facts.assignee) : nullptr;
    return {409, "refused",
            mail::refusal_text(refusal, standing,
                               holder ? holder->name : facts.assignee.value_or(""), command.target),
            std::nullopt, core::refusal_name(refusal)};
}

Json lead_state(const store::LeadRef& lead) {
    return Json{{"id", lead.id},
                {"state", lead.state},
                {"assignee", lead.assignee ? Json(*lead.assignee) : Json(nullptr)}};
}

Answer act(const Call& c) {
    auto dealer_answer = lead_dealer(c);
    if (auto* error = std::get_if<ApiError>(&dealer_answer))
        return *error;
    const core::Dealer& dealer = *std::get<const core::Dealer*>(dealer_answer);
    const ActionInput& input = c.call.input;
    const core::User* user = dealer.find_user(input.user);
    if (!user)
        return bad_field("user", "unknown_user", "the dealer has no such user");
    if (input.to && !dealer.find_user(*input.to))
        return bad_field("to", "unknown_user", "the dealer has no such user");
    if (input.at && *input.at <= c.now)
        return bad_field("at", "invalid_value", "the resubmission must lie in the future");

    store::Connection& db = *c.connection;
    auto transaction = store::Transaction::begin(db);
    if (!transaction) {
        c.connection.discard();
        return unavailable(transaction.error());
    }
    auto facts = store::read_lead_facts(db, c.call.lead_id, true);
    if (!facts) {
        c.connection.discard();
        return unavailable(facts.error());
    }
    if (!*facts || (*facts)->dealer_id != dealer.id)
        return not_found();
    core::ReplyCommand command{c.call.action, input.at, input.to.value_or("")};
    auto allowed = store::permission_for(db, **facts, dealer, user->id, command);
    if (!allowed) {
        c.connection.discard();
        return unavailable(allowed.error());
    }
    if (!*allowed)
        return refused(*allowed->refusal, **facts, dealer, command);
    const store::Actor actor{user->id, store::Channel::api, c.token.name};
    Json done{{"action", std::string(core::action_name(command.action))}};
    if (command.action == core::LeadAction::reply) {
        reply::ReplyRequest asked;
        asked.lead_id = c.call.lead_id;
        asked.body = *input.text;
        asked.expose = input.expose;
        asked.actor = actor;
        asked.now = c.now;
        auto queued = reply::reply_to_customer(*transaction, c.config, asked);
        if (!queued && queued.error().code == ErrorCode::database) {
            c.connection.discard();
            return unavailable(queued.error());
        }
        if (!queued && queued.error().code == ErrorCode::invalid_input)
            return bad_field("text", "invalid_value", queued.error().message);
        if (!queued)
            return ApiError{409,
                            input.expose && queued.error().code == ErrorCode::not_found
                                ? "no_expose"
                                : "refused",
                            queued.error().message, std::nullopt};
        done["lead"] = Json{{"id", c.call.lead_id}};
        done["message_id"] = queued->message_id;
        done["to"] = queued->customer_email;
        done["with_expose"] = queued->with_expose;
    } else {
        auto result = store::carry_out_command(*transaction, c.config, dealer, actor,
                                               c.call.lead_id, command, *allowed, c.now);
        if (!result && result.error().code == ErrorCode::database) {
            c.connection.discard();
            return unavailable(result.error());
        }
        if (!result)
            return ApiError{409, "refused", result.error().message, std::nullopt};
        done["lead"] = lead_state(*result);
    }
    if (auto committed = transaction->commit(); !committed) {
        c.connection.discard();
        return unavailable(committed.error());
    }
    log::info("lead action through the API", {{"LEAD_ID", std::to_string(c.call.lead_id)},
                                              {"DEALER", dealer.id},
                                              {"USER", user->id},
                                              {"ACTION", done["action"].get<std::string>()},
                                              {"INTEGRATION", c.token.name}});
    return json_response(200, done);
}

Answer users(const Call& c) {
    const core::Dealer* dealer = visible_dealer(c, c.call.dealer);
    if (!dealer)
        return not_found();
    auto status = store::load_user_status(*c.connection, dealer->id);
    if (!status)
        return unavailable(status.error());
    return json_response(200, Json{{"users", views::users_json(*dealer, *status)}});
}

Answer absences(const Call& c) {
    const core::Dealer* dealer = visible_dealer(c, c.call.dealer);
    if (!dealer)
        return not_found();
    if (c.call.endpoint == Endpoint::absence_set) {
        const auto& asked = c.call.absence;
        if (!dealer->find_user(asked.user))
            return bad_field("user", "unknown_user", "the dealer has no such user");
        auto id = store::add_absence(*c.connection, dealer->id, asked.user, asked.from, asked.to,
                                     asked.note);
        if (!id)
            return unavailable(id.error());
        log::info("absence set through the API",
                  {{"DEALER", dealer->id}, {"USER", asked.user}, {"INTEGRATION", c.token.name}});
        return json_response(201, Json{{"absence", views::absence_json({*id, asked.user, asked.from,
                                                                        asked.to, asked.note},
                                                                       dealer->timezone, c.now)}});
    }
    if (c.call.endpoint == Endpoint::absence_clear) {
        if (!dealer->find_user(c.call.user))
            return not_found();
        auto cleared = store::clear_absences(*c.connection, dealer->id, c.call.user, c.now);
        if (!cleared)
            return unavailable(cleared.error());
        log::info("absences cleared through the API",
                  {{"DEALER", dealer->id}, {"USER", c.call.user}, {"INTEGRATION", c.token.name}});
        return json_response(200, Json{{"user", c.call.user}, {"cleared", *cleared}});
    }
    auto list = store::list_absences(*c.connection, dealer->id, c.now);
    if (!list)
        return unavailable(list.error());
    Json out = Json::array();
    for (const auto& absence : *list)
        out.push_back(views::absence_json(absence, dealer->timezone, c.now));
    return json_response(200, Json{{"absences", std::move(out)}});
}

Answer plan(const Call& c) {
    const core::Dealer* dealer = visible_dealer(c, c.call.dealer);
    if (!dealer)
        return not_found();
    core::BusinessCalendar calendar(*dealer);
    if (c.call.plan_received) {
        auto planned = core::plan_received(*dealer, calendar, *c.call.plan_received);
        if (!planned)
            return ApiError{409, "no_working_time", planned.error().message, std::nullopt};
        return json_response(200, views::plan_json(*planned, dealer->timezone));
    }
    auto planned = core::plan_resubmission(*dealer, calendar, *c.call.plan_resubmission);
    if (!planned)
        return ApiError{409, "no_working_time", planned.error().message, std::nullopt};
    return json_response(200, views::plan_json(*planned, dealer->timezone));
}

// Bytes as base64 (the raw mails inside the export's JSON).
std::string base64(const std::string& bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                        reinterpret_cast<const unsigned char*>(bytes.data()),
                                        static_cast<int>(bytes.size()));
    out.resize(static_cast<size_t>(written));
    return out;
}

Answer privacy(const Call& c) {
    const core::Dealer* dealer = visible_dealer(c, c.call.dealer);
    if (!dealer)
        return not_found();
    auto key = classify::contact_key(c.call.contact);
    if (!key)
        return bad_field("contact", "invalid_value",
                         "neither an e-mail address nor a phone number");
    const store::Subject subject{dealer->id, key->email, key->phone};
    const std::string actor = "api:" + c.token.name;
    if (c.call.endpoint == Endpoint::privacy_export) {
        auto exported = store::export_subject(*c.connection, subject, actor, c.now);
        if (!exported)
            return unavailable(exported.error());
        Json files = Json::object();
        for (const auto& [name, bytes] : exported->files)
            files[name] = base64(bytes);
        exported->document["files"] = std::move(files);
        log::info("privacy export through the API",
                  {{"DEALER", dealer->id}, {"INTEGRATION", c.token.name}});
        return json_response(200, exported->document);
    }
    auto transaction = store::Transaction::begin(*c.connection);
    if (!transaction) {
        c.connection.discard();
        return unavailable(transaction.error());
    }
    auto counts = store::erase_subject(*transaction, subject, c.call.dry_run, actor, c.now);
    if (!counts) {
        c.connection.discard();
        return unavailable(counts.error());
    }
    if (!c.call.dry_run) {
        if (auto committed = transaction->commit(); !committed) {
            c.connection.discard();
            return unavailable(committed.error());
        }
        log::info("privacy erasure through the API", {{"DEALER", dealer->id},
                                                      {"SUBJECT", store::masked(subject)},
                                                      {"INTEGRATION", c.token.name}});
    }
    Json out = *counts;
    out["dry_run"] = c.call.dry_run;
    return json_response(200, out);
}

const char* endpoint_name(Endpoint endpoint) {
    switch (endpoint) {
    case Endpoint::openapi:
        return "openapi";
    case Endpoint::leads:
        return "leads";
    case Endpoint::lead:
        return "lead";
    case Endpoint::lead_action:
        return "lead_action";
    case Endpoint::users:
        return "users";
    case Endpoint::absences:
        return "absences";
    case Endpoint::absence_set:
        return "absence_set";
    case Endpoint::absence_clear:
        return "absence_clear";
    case Endpoint::plan:
        return "plan";
    case Endpoint::privacy_export:
        return "privacy_export";
    case Endpoint::privacy_erase:
        return "privacy_erase";
    }
    return "other";
}

// leadrouter_api_requests_total{endpoint, code}: bounded by the routes and
// the statuses this file answers.
void count(const std::string& endpoint, int status) {
    lr::metrics::process()
        .counter("leadrouter_api_requests_total",
                 "Requests to the integration API, by endpoint and HTTP status",
                 {{"endpoint", endpoint}, {"code", std::to_string(status)}})
        .add();
}

} // namespace

ApiSite::ApiSite(store::ConnectionPool& pool, std::function<core::Instant()> clock)
    : m_pool(pool), m_clock(std::move(clock)) {}

std::string_view openapi_document() {
    return embedded::openapi_json;
}

HttpResponse ApiSite::handle(const http::HttpRequest& request, const core::Config& config) {
    auto parsed = parse_api_request(request);
    const ApiCall* call = std::get_if<ApiCall>(&parsed);
    std::string endpoint = call ? endpoint_name(call->endpoint) : "unknown";
    auto answer = [&](HttpResponse response) {
        count(endpoint, response.status);
        return response;
    };
    if (call && call->endpoint == Endpoint::openapi) {
        HttpResponse response = json_response(200, nullptr);
        response.body = std::string(openapi_document());
        return answer(response);
    }
    const core::ApiToken* token =
        web::authenticate(request.authorization, config.system.web.api_tokens);
    if (!token)
        return answer(error_response({401, "unauthorized",
                                      "send Authorization: Bearer <token> with a token of "
                                      "system.web.api_tokens",
                                      std::nullopt}));
    if (!call)
        return answer(error_response(std::get<ApiError>(parsed)));
    if ((call->scope == Scope::act && !token->act) || (call->scope == Scope::read && !token->read))
        return answer(error_response({403, "forbidden",
                                      std::string("this token lacks the ") +
                                          (call->scope == Scope::act ? "act" : "read") + " scope",
                                      std::nullopt}));
    auto connection = m_pool.take();
    if (!connection)
        return answer(error_response(unavailable(connection.error())));
    const Call c{*call, *token, config, *connection, m_clock()};
    Answer result = [&]() -> Answer {
        switch (call->endpoint) {
        case Endpoint::leads:
            return list_leads(c);
        case Endpoint::lead:
            return show_lead(c);
        case Endpoint::lead_action:
            return act(c);
        case Endpoint::users:
            return users(c);
        case Endpoint::absences:
        case Endpoint::absence_set:
        case Endpoint::absence_clear:
            return absences(c);
        case Endpoint::plan:
            return plan(c);
        case Endpoint::privacy_export:
        case Endpoint::privacy_erase:
            return privacy(c);
        case Endpoint::openapi:
            break;
        }
        return not_found();
    }();
    if (auto* error = std::get_if<ApiError>(&result))
        return answer(error_response(*error));
    return answer(std::get<HttpResponse>(std::move(result)));
}

} // namespace lr::leadweb::api
