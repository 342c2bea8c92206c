#include "api_request.hpp"

#include <cctype>
#include <charconv>
#include <map>
#include <regex>
#include <set>

namespace lr::leadweb::api {

namespace {

const std::string prefix = "/api/v1/";
constexpr size_t max_text = 200;        // an id, a name, a source
constexpr size_t max_reply = 32 * 1024; // a reply to the customer
constexpr size_t max_note = 500;        // an absence's note

using Query = std::vector<std::pair<std::string, std::string>>;
using Outcome = std::variant<ApiCall, ApiError>;

ApiError method_not_allowed(const std::string& allowed) {
    return {405, "method_not_allowed", "this resource answers " + allowed, std::nullopt};
}

// Printable text without control characters, 1 to max bytes.
bool plain_text(const std::string& value, size_t max) {
    if (value.empty() || value.size() > max)
        return false;
    for (unsigned char c : value)
        if (c < 0x20 || c == 0x7f)
            return false;
    return true;
}

// An id as the configuration writes them: letters, digits, - _ . @
bool id_text(const std::string& value) {
    if (value.empty() || value.size() > 64)
        return false;
    for (unsigned char c : value)
        if (!std::isalnum(c) && c != '-' && c != '_' && c != '.' && c != '@')
            return false;
    return true;
}

std::optional<long long> positive_number(const std::string& text) {
    long long value = 0;
    const auto* end = text.data() + text.size();
    auto [stop, error] = std::from_chars(text.data(), end, value);
    if (error != std::errc() || stop != end || value <= 0 || text.size() > 18)
        return std::nullopt;
    return value;
}

std::vector<std::string> split_path(const std::string& path) {
    std::vector<std::string> parts;
    size_t start = 0;
    while (start <= path.size()) {
        const size_t slash = path.find('/', start);
        parts.push_back(
            path.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
        if (slash == std::string::npos)
            break;
        start = slash + 1;
    }
    return parts;
}

// The query's parameters, each at most once and each one the endpoint
// knows; or the refusal naming the first that is not.
std::variant<std::map<std::string, std::string>, ApiError>
query_parameters(const Query& query, const std::set<std::string>& known) {
    std::map<std::string, std::string> out;
    for (const auto& [name, value] : query) {
        if (!known.count(name))
            return bad_field(name.size() > 64 ? name.substr(0, 64) : name, "unknown_parameter",
                             "this endpoint has no such query parameter");
        if (!out.emplace(name, value).second)
            return bad_field(name, "repeated_parameter", "the parameter is given twice");
    }
    return out;
}

// The JSON object of a POST, or why not.
std::variant<Json, ApiError> json_body(const http::HttpRequest& request) {
    const std::string& type = request.content_type;
    const std::string media = type.substr(0, type.find(';'));
    if (media != "application/json")
        return ApiError{415, "unsupported_media_type", "send the body as application/json",
                        std::nullopt};
    Json body = Json::parse(request.body, nullptr, false);
    if (body.is_discarded())
        return ApiError{400, "malformed_json", "the body is not JSON", std::nullopt};
    if (!body.is_object())
        return ApiError{400, "malformed_json", "the body must be a JSON object", std::nullopt};
    return body;
}

// Reads the fields of a JSON object: each known, each of its type, each
// required one there.
class FieldReader {
public:
    explicit FieldReader(const Json& body) : m_body(body) {}

    std::optional<ApiError> only(const std::set<std::string>& known) const {
        for (const auto& [name, value] : m_body.items())
            if (!known.count(name))
                return bad_field(name.size() > 64 ? name.substr(0, 64) : name, "unknown_field",
                                 "the body has no such field");
        return std::nullopt;
    }

    // A string field: absent gives nullopt unless required.
    std::variant<std::optional<std::string>, ApiError> text(const std::string& name, bool required,
                                                            size_t max) const {
        const auto found = m_body.find(name);
        if (found == m_body.end() || (found->is_null() && !required)) {
            if (required)
                return bad_field(name, "missing_field", "the field is required");
            return std::optional<std::string>();
        }
        if (!found->is_string())
            return bad_field(name, "wrong_type", "the field must be a string");
        const auto& value = found->get_ref<const std::string&>();
        if (value.empty() || value.size() > max)
            return bad_field(name, "invalid_value",
                             "the field must have 1 to " + std::to_string(max) + " bytes");
        return std::optional<std::string>(value);
    }

    std::variant<bool, ApiError> flag(const std::string& name) const {
        const auto found = m_body.find(name);
        if (found == m_body.end() || found->is_null())
            return false;
        if (!found->is_boolean())
            return bad_field(name, "wrong_type", "the field must be true or false");
        return found->get<bool>();
    }

private:
    const Json& m_body;
};

// Unwraps a FieldReader answer into target, or returns its error.
template <typename T> std::optional<ApiError> take(std::variant<T, ApiError> answer, T& target) {
    if (auto* error = std::get_if<ApiError>(&answer))
        return *error;
    target = std::move(std::get<T>(answer));
    return std::nullopt;
}

std::optional<ApiError> user_field(const FieldReader& fields, const std::string& name,
                                   std::string& target) {
    std::optional<std::string> value;
    if (auto error = take(fields.text(name, true, 64), value))
        return error;
    if (!id_text(*value))
        return bad_field(name, "invalid_value", "not a user id");
    target = *value;
    return std::nullopt;
}

std::optional<ApiError> time_field(const FieldReader& fields, const std::string& name,
                                   core::Instant& target) {
    std::optional<std::string> value;
    if (auto error = take(fields.text(name, true, 64), value))
        return error;
    auto instant = parse_rfc3339(*value);
    if (!instant)
        return bad_field(name, "invalid_value",
                         "not an RFC 3339 time with offset (2026-12-07T09:30:00+01:00)");
    target = *instant;
    return std::nullopt;
}

Outcome action_call(ApiCall call, const std::string& name, const http::HttpRequest& request) {
    static const std::map<std::string, core::LeadAction> actions = {
        {"claim", core::LeadAction::claim},       {"respond", core::LeadAction::react},
        {"reassign", core::LeadAction::reassign}, {"resubmit", core::LeadAction::resubmit},
        {"close", core::LeadAction::close},       {"reply", core::LeadAction::reply}};
    const auto found = actions.find(name);
    if (found == actions.end())
        return not_found();
    if (request.method != "POST")
        return method_not_allowed("POST");
    if (!request.query.empty())
        return bad_field(request.query.front().first.substr(0, 64), "unknown_parameter",
                         "actions take no query parameters");
    call.endpoint = Endpoint::lead_action;
    call.scope = Scope::act;
    call.action = found->second;
    auto body = json_body(request);
    if (auto* error = std::get_if<ApiError>(&body))
        return *error;
    const FieldReader fields(std::get<Json>(body));
    std::set<std::string> known = {"user"};
    if (call.action == core::LeadAction::reassign)
        known.insert("to");
    if (call.action == core::LeadAction::resubmit)
        known.insert("at");
    if (call.action == core::LeadAction::reply)
        known.insert({"text", "expose"});
    if (auto error = fields.only(known))
        return *error;
    if (auto error = user_field(fields, "user", call.input.user))
        return *error;
    if (call.action == core::LeadAction::reassign) {
        std::string to;
        if (auto error = user_field(fields, "to", to))
            return *error;
        call.input.to = to;
    }
    if (call.action == core::LeadAction::resubmit) {
        core::Instant at;
        if (auto error = time_field(fields, "at", at))
            return *error;
        call.input.at = at;
    }
    if (call.action == core::LeadAction::reply) {
        if (auto error = take(fields.text("text", true, max_reply), call.input.text))
            return *error;
        if (auto error = take(fields.flag("expose"), call.input.expose))
            return *error;
    }
    return call;
}

Outcome leads_call(ApiCall call, const http::HttpRequest& request) {
    if (request.method != "GET" && request.method != "HEAD")
        return method_not_allowed("GET, HEAD");
    auto parsed =
        query_parameters(request.query, {"dealer", "state", "assignee", "kind", "source", "due",
                                         "received_from", "received_until", "limit", "cursor"});
    if (auto* error = std::get_if<ApiError>(&parsed))
        return *error;
    auto& query = std::get<0>(parsed);
    call.endpoint = Endpoint::leads;
    call.scope = Scope::read;
    auto& filter = call.filter;
    const auto dealer = query.find("dealer");
    if (dealer == query.end())
        return bad_field("dealer", "missing_parameter", "name the dealer: ?dealer=ID");
    if (!id_text(dealer->second))
        return bad_field("dealer", "invalid_value", "not a dealer id");
    call.dealer = filter.dealer_id = dealer->second;
    if (auto state = query.find("state"); state != query.end()) {
        static const std::set<std::string> states = {"new", "assigned", "responded", "closed",
                                                     "merged"};
        if (!states.count(state->second))
            return bad_field("state", "invalid_value",
                             "one of new, assigned, responded, closed, merged");
        filter.state = state->second;
    }
    if (auto kind = query.find("kind"); kind != query.end()) {
        if (kind->second != "lead" && kind->second != "tradein")
            return bad_field("kind", "invalid_value", "lead or tradein");
        filter.kind = kind->second;
    }
    if (auto assignee = query.find("assignee"); assignee != query.end()) {
        if (!id_text(assignee->second))
            return bad_field("assignee", "invalid_value", "not a user id");
        filter.assignee = assignee->second;
    }
    if (auto source = query.find("source"); source != query.end()) {
        if (!plain_text(source->second, max_text))
            return bad_field("source", "invalid_value", "1 to 200 bytes of text");
        filter.source = source->second;
    }
    if (auto due = query.find("due"); due != query.end()) {
        static const std::map<std::string, store::DueState> dues = {
            {"none", store::DueState::none},
            {"ok", store::DueState::ok},
            {"soon", store::DueState::soon},
            {"overdue", store::DueState::overdue}};
        const auto found = dues.find(due->second);
        if (found == dues.end())
            return bad_field("due", "invalid_value", "one of none, ok, soon, overdue");
        filter.due = found->second;
    }
    for (auto [name, target] : {std::pair{"received_from", &filter.received_from},
                                std::pair{"received_until", &filter.received_until}})
        if (auto time = query.find(name); time != query.end()) {
            *target = parse_rfc3339(time->second);
            if (!*target)
                return bad_field(name, "invalid_value",
                                 "not an RFC 3339 time with offset (2026-12-07T09:30:00+01:00)");
        }
    filter.limit = default_page;
    if (auto limit = query.find("limit"); limit != query.end()) {
        auto number = positive_number(limit->second);
        if (!number || *number > max_page)
            return bad_field("limit", "invalid_value",
                             "a whole number from 1 to " + std::to_string(max_page));
        filter.limit = static_cast<int>(*number);
    }
    if (auto cursor = query.find("cursor"); cursor != query.end()) {
        filter.after = decode_cursor(cursor->second);
        if (!filter.after)
            return bad_field("cursor", "invalid_value",
                             "not a cursor of this API (take next_cursor of the previous page)");
    }
    return call;
}

Outcome dealer_call(ApiCall call, const std::vector<std::string>& parts,
                    const http::HttpRequest& request) {
    // parts: dealers, {dealer}, users | absences [, {user}] | plan
    if (parts.size() < 3 || !id_text(parts[1]))
        return not_found();
    call.dealer = parts[1];
    const bool reading = request.method == "GET" || request.method == "HEAD";
    if (parts.size() == 3 && parts[2] == "users") {
        if (!reading)
            return method_not_allowed("GET, HEAD");
        if (auto parsed = query_parameters(request.query, {});
            std::holds_alternative<ApiError>(parsed))
            return std::get<ApiError>(parsed);
        call.endpoint = Endpoint::users;
        call.scope = Scope::read;
        return call;
    }
    if (parts.size() == 3 && parts[2] == "plan") {
        if (!reading)
            return method_not_allowed("GET, HEAD");
        auto parsed = query_parameters(request.query, {"received", "resubmission"});
        if (auto* error = std::get_if<ApiError>(&parsed))
            return *error;
        auto& query = std::get<0>(parsed);
        if (query.size() != 1)
            return bad_field("received", "missing_parameter",
                             "give exactly one of received and resubmission");
        const auto& [name, value] = *query.begin();
        auto instant = parse_rfc3339(value);
        if (!instant)
            return bad_field(name, "invalid_value",
                             "not an RFC 3339 time with offset (2026-12-07T09:30:00+01:00)");
        (name == "received" ? call.plan_received : call.plan_resubmission) = instant;
        call.endpoint = Endpoint::plan;
        call.scope = Scope::read;
        return call;
    }
    if (parts.size() == 4 && parts[2] == "privacy" &&
        (parts[3] == "export" || parts[3] == "erase")) {
        // A person's data: the act scope for either, it is not for reading
        // lists of leads.
        call.scope = Scope::act;
        if (parts[3] == "export") {
            if (!reading)
                return method_not_allowed("GET, HEAD");
            auto parsed = query_parameters(request.query, {"contact"});
            if (auto* error = std::get_if<ApiError>(&parsed))
                return *error;
            auto& query = std::get<0>(parsed);
            const auto contact = query.find("contact");
            if (contact == query.end())
                return bad_field("contact", "missing_parameter",
                                 "name the person: ?contact=ADDRESS or PHONE");
            if (!plain_text(contact->second, 320))
                return bad_field("contact", "invalid_value", "1 to 320 bytes of text");
            call.contact = contact->second;
            call.endpoint = Endpoint::privacy_export;
            return call;
        }
        if (request.method != "POST")
            return method_not_allowed("POST");
        if (!request.query.empty())
            return bad_field(request.query.front().first.substr(0, 64), "unknown_parameter",
                             "erase takes no query parameters");
        auto body = json_body(request);
        if (auto* error = std::get_if<ApiError>(&body))
            return *error;
        const FieldReader fields(std::get<Json>(body));
        if (auto error = fields.only({"contact", "dry_run"}))
            return *error;
        std::optional<std::string> contact;
        if (auto error = take(fields.text("contact", true, 320), contact))
            return *error;
        call.contact = *contact;
        if (auto error = take(fields.flag("dry_run"), call.dry_run))
            return *error;
        call.endpoint = Endpoint::privacy_erase;
        return call;
    }
    if (parts[2] != "absences" || parts.size() > 4)
        return not_found();
    if (!request.query.empty())
        return bad_field(request.query.front().first.substr(0, 64), "unknown_parameter",
                         "absences take no query parameters");
    if (parts.size() == 4) {
        if (!id_text(parts[3]))
            return not_found();
        if (request.method != "DELETE")
            return method_not_allowed("DELETE");
        call.endpoint = Endpoint::absence_clear;
        call.scope = Scope::act;
        call.user = parts[3];
        return call;
    }
    if (reading) {
        call.endpoint = Endpoint::absences;
        call.scope = Scope::read;
        return call;
    }
    if (request.method != "POST")
        return method_not_allowed("GET, HEAD, POST");
    call.endpoint = Endpoint::absence_set;
    call.scope = Scope::act;
    auto body = json_body(request);
    if (auto* error = std::get_if<ApiError>(&body))
        return *error;
    const FieldReader fields(std::get<Json>(body));
    if (auto error = fields.only({"user", "from", "to", "note"}))
        return *error;
    if (auto error = user_field(fields, "user", call.absence.user))
        return *error;
    if (auto error = time_field(fields, "from", call.absence.from))
        return *error;
    if (auto error = time_field(fields, "to", call.absence.to))
        return *error;
    if (call.absence.to <= call.absence.from)
        return bad_field("to", "invalid_value", "the absence must end after it starts");
    std::optional<std::string> note;
    if (auto error = take(fields.text("note", false, max_note), note))
        return *error;
    call.absence.note = note.value_or("");
    return call;
}

} // namespace

std::variant<ApiCall, ApiError> parse_api_request(const http::HttpRequest& request) {
    if (request.path.compare(0, prefix.size(), prefix) != 0)
        return not_found();
    const auto parts = split_path(request.path.substr(prefix.size()));
    ApiCall call;
    if (parts.size() == 1 && parts[0] == "openapi.json") {
        if (request.method != "GET" && request.method != "HEAD")
            return method_not_allowed("GET, HEAD");
        call.endpoint = Endpoint::openapi;
        return call;
    }
    if (parts.size() == 1 && parts[0] == "leads")
        return leads_call(call, request);
    if (parts[0] == "leads" && (parts.size() == 2 || parts.size() == 3)) {
        auto id = positive_number(parts[1]);
        if (!id)
            return not_found();
        call.lead_id = *id;
        if (parts.size() == 3)
            return action_call(call, parts[2], request);
        if (request.method != "GET" && request.method != "HEAD")
            return method_not_allowed("GET, HEAD");
        if (auto parsed = query_parameters(request.query, {});
            std::holds_alternative<ApiError>(parsed))
            return std::get<ApiError>(parsed);
        call.endpoint = Endpoint::lead;
        call.scope = Scope::read;
        return call;
    }
    if (parts[0] == "dealers")
        return dealer_call(call, parts, request);
    return not_found();
}

std::string encode_cursor(const store::PagePosition& position) {
    return std::to_string(position.received_us) + "." + std::to_string(position.id);
}

std::optional<store::PagePosition> decode_cursor(const std::string& cursor) {
    const auto dot = cursor.find('.');
    if (dot == std::string::npos || cursor.size() > 40)
        return std::nullopt;
    auto micros = positive_number(cursor.substr(0, dot));
    auto id = positive_number(cursor.substr(dot + 1));
    if (!micros || !id)
        return std::nullopt;
    return store::PagePosition{*micros, *id};
}

std::optional<core::Instant> parse_rfc3339(const std::string& text) {
    static const std::regex form(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(Z|z|[+-]\d{2}:\d{2}))");
    if (text.size() > 32 || !std::regex_match(text, form))
        return std::nullopt;
    return core::parse_iso8601(text, date::locate_zone("UTC"));
}

} // namespace lr::leadweb::api
