// The pages behind the links in notices (issue #15), in German, for a phone
// first. Pure: data in, response out.
//
// Every page is static HTML with one inline style (allowed by its hash in
// the Content-Security-Policy) and no script; nothing on a page acts by
// itself: GET and HEAD only show, a person's press of the one button POSTs.
// Headers: no referrer (the token is in the URL), no framing, no caching,
// no sniffing.
#pragma once

#include "core/reply_command.hpp"
#include "http/http_server.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lr::leadweb {

using http::HttpRequest;
using http::HttpResponse;

struct PageLead {
    long long id = 0;
    std::string received; // "04.12.2026, 15:00 Uhr"
    std::string kind;     // Anfrage | Inzahlungnahme
    std::string source;
    std::string contact;
    std::string vehicle;
    std::string holder; // who has it now ("im Pool", a name)
};

struct ConfirmPage {
    core::LeadAction action = core::LeadAction::react;
    PageLead lead;
    std::string user_name;                                        // whom the link is for
    std::string resubmit_default;                                 // resubmit: "2026-12-08T09:00"
    std::vector<std::pair<std::string, std::string>> reassign_to; // reassign: id, name
    std::string reply_to;                                         // reply: the customer's name
    bool offer_expose = false; // reply: the dealer attaches exposés
};

HttpResponse confirm_page(const ConfirmPage& page);

enum class Outcome {
    done,        // 200
    changed,     // 409: the lead changed since the link was made (used)
    refused,     // 403: the rule says no (not yours, not in the pool, ...)
    expired,     // 410
    invalid,     // 404: not a link of ours (tampered, cut off)
    bad_input,   // 400: the form's value is missing or not understood
    unavailable, // 503: the database does not answer
};

// title: one line; sentence: what happened and what to do now.
HttpResponse outcome_page(Outcome outcome, const std::string& title, const std::string& sentence,
                          const std::optional<PageLead>& lead = std::nullopt);

HttpResponse not_found_page();
HttpResponse method_not_allowed_page(const std::string& allow);
// A request for another site (DNS rebinding, a misconfigured proxy).
HttpResponse wrong_host_page();

// The headers every answer carries.
void add_security_headers(HttpResponse& response);

} // namespace lr::leadweb
