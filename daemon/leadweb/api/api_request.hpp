// The API's request layer (issue #16), pure: method, path, query and body
// in; a typed call or the refusal out. Nothing here reads the database or
// trusts a byte: every parameter and field is checked for name, type,
// size and form, and whatever is not expected is refused with a 400 that
// names it. The libFuzzer target tests/fuzz/api_request_fuzzer.cpp runs it.
//
//   GET    /api/v1/openapi.json
//   GET    /api/v1/leads?dealer=D[&state&assignee&kind&source&due
//                        &received_from&received_until&limit&cursor]
//   GET    /api/v1/leads/{id}
//   POST   /api/v1/leads/{id}/{claim|respond|reassign|resubmit|close|reply}
//   GET    /api/v1/dealers/{dealer}/users
//   GET    /api/v1/dealers/{dealer}/absences
//   POST   /api/v1/dealers/{dealer}/absences
//   DELETE /api/v1/dealers/{dealer}/absences/{user}
//   GET    /api/v1/dealers/{dealer}/plan?received=T | ?resubmission=T
//   GET    /api/v1/dealers/{dealer}/privacy/export?contact=ADDRESS|PHONE
//   POST   /api/v1/dealers/{dealer}/privacy/erase  {"contact", "dry_run"}
#pragma once

#include "api_error.hpp"
#include "core/reply_command.hpp"
#include "core/zoned_time.hpp"
#include "store/lead_queries.hpp"

#include <variant>

namespace lr::leadweb::api {

enum class Endpoint {
    openapi,
    leads,
    lead,
    lead_action,
    users,
    absences,
    absence_set,
    absence_clear,
    plan,
    privacy_export,
    privacy_erase
};

// What a call needs of its token: reading, or acting too.
enum class Scope { none, read, act };

// The body of an action, checked.
struct ActionInput {
    std::string user;                // who acts: a user of the lead's dealer
    std::optional<std::string> to;   // reassign
    std::optional<core::Instant> at; // resubmit
    std::optional<std::string> text; // reply
    bool expose = false;             // reply
};

struct AbsenceInput {
    std::string user;
    core::Instant from;
    core::Instant to;
    std::string note;
};

struct ApiCall {
    Endpoint endpoint = Endpoint::openapi;
    Scope scope = Scope::none;
    std::string dealer;    // leads, users, absences, plan
    long long lead_id = 0; // lead, lead_action
    core::LeadAction action = core::LeadAction::claim;
    std::string user; // absence_clear
    store::LeadFilter filter;
    ActionInput input;
    AbsenceInput absence;
    std::optional<core::Instant> plan_received;
    std::optional<core::Instant> plan_resubmission;
    std::string contact;  // privacy: as given, 1 to 320 bytes
    bool dry_run = false; // privacy_erase
};

inline constexpr int max_page = 200;
inline constexpr int default_page = 50;

// A request under /api/v1/ made into a call, or why not.
std::variant<ApiCall, ApiError> parse_api_request(const http::HttpRequest& request);

// The cursor after the last lead of a page, and back: "<received, in
// microseconds since the epoch>.<id>"; opaque to clients.
std::string encode_cursor(const store::PagePosition& position);
std::optional<store::PagePosition> decode_cursor(const std::string& cursor);

// An RFC 3339 time with its offset or Z ("2026-12-07T09:30:00+01:00").
std::optional<core::Instant> parse_rfc3339(const std::string& text);

} // namespace lr::leadweb::api
