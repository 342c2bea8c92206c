// Issue #15: leadweb's pages: nothing acts by itself (no script, one POST
// form), everything from the lead is escaped, every answer carries the
// headers that keep the token and the page to themselves.
#include "action_site.hpp"
#include "pages.hpp"

#include <catch2/catch.hpp>

using namespace lr;
using namespace lr::leadweb;

namespace {

std::string header(const HttpResponse& response, const std::string& name) {
    for (const auto& [key, value] : response.headers)
        if (key == name)
            return value;
    return {};
}

PageLead hostile_lead() {
    PageLead lead;
    lead.id = 7;
    lead.contact = "<script>alert(1)</script> Max \"Mustermann\"";
    lead.vehicle = "Golf <img src=x onerror=alert(2)>";
    lead.holder = "im Pool";
    return lead;
}

ConfirmPage asking(core::LeadAction action, const std::string& user_name = "") {
    ConfirmPage page;
    page.action = action;
    page.lead = hostile_lead();
    page.user_name = user_name;
    return page;
}

} // namespace

TEST_CASE("a confirmation page shows, asks, and only a button's POST acts", "[leadweb][pages]") {
    auto page = confirm_page(asking(core::LeadAction::claim, "Jonas Weber"));
    CHECK(page.status == 200);
    CHECK(page.body.find("<form method=\"post\">") != std::string::npos);
    CHECK(page.body.find("<button type=\"submit\">Übernehmen</button>") != std::string::npos);
    CHECK(page.body.find("<script") == std::string::npos); // the contact's is escaped
    CHECK(page.body.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
    CHECK(page.body.find("<img") == std::string::npos);
    CHECK(page.body.find("onload") == std::string::npos);
    CHECK(page.body.find("Jonas Weber") != std::string::npos);

    auto resubmit_page = asking(core::LeadAction::resubmit, "Jonas Weber");
    resubmit_page.resubmit_default = "2026-12-08T09:00";
    auto resubmit = confirm_page(resubmit_page);
    CHECK(resubmit.body.find("type=\"datetime-local\" id=\"when\" name=\"when\" required "
                             "value=\"2026-12-08T09:00\"") != std::string::npos);
    auto reassign_page = asking(core::LeadAction::reassign, "Petra Mayer");
    reassign_page.reassign_to = {{"weber", "Jonas Weber"}, {"x\"y", "<b>"}};
    auto reassign = confirm_page(reassign_page);
    CHECK(reassign.body.find("<option value=\"weber\">Jonas Weber</option>") != std::string::npos);
    CHECK(reassign.body.find("<option value=\"x&quot;y\">&lt;b&gt;</option>") != std::string::npos);
}

TEST_CASE("the reply page: a text field for the customer, the exposé only where the dealer "
          "attaches one",
          "[leadweb][pages]") {
    auto reply_page = asking(core::LeadAction::reply, "Jonas Weber");
    reply_page.reply_to = "Jana <Krüger>";
    reply_page.offer_expose = true;
    auto page = confirm_page(reply_page);
    CHECK(page.body.find("<h1>Dem Kunden antworten</h1>") != std::string::npos);
    CHECK(page.body.find("<label for=\"text\">Ihre Antwort an Jana &lt;Krüger&gt;</label>"
                         "<textarea id=\"text\" name=\"text\"") != std::string::npos);
    CHECK(page.body.find("name=\"expose\" value=\"1\"> Exposé anhängen") != std::string::npos);
    CHECK(page.body.find("<button type=\"submit\">Antworten</button>") != std::string::npos);
    auto without = confirm_page(asking(core::LeadAction::reply));
    CHECK(without.body.find("Exposé anhängen") == std::string::npos);
}

TEST_CASE("every page carries no-referrer, a strict CSP without script, no framing, no caching",
          "[leadweb][pages]") {
    for (const auto& page : {confirm_page(asking(core::LeadAction::react)),
                             outcome_page(Outcome::changed, "t", "s", hostile_lead()),
                             not_found_page(), wrong_host_page(), method_not_allowed_page("GET")}) {
        CHECK(header(page, "Referrer-Policy") == "no-referrer");
        const std::string csp = header(page, "Content-Security-Policy");
        CHECK(csp.rfind("default-src 'none'; style-src 'sha256-", 0) == 0);
        CHECK(csp.find("script-src") == std::string::npos); // default-src 'none' covers it
        CHECK(csp.find("frame-ancestors 'none'") != std::string::npos);
        CHECK(csp.find("form-action 'self'") != std::string::npos);
        CHECK(header(page, "X-Frame-Options") == "DENY");
        CHECK(header(page, "Cache-Control") == "no-store");
        CHECK(header(page, "X-Content-Type-Options") == "nosniff");
        CHECK(page.body.find("<script") == std::string::npos);
    }
}

TEST_CASE("each outcome has its own status", "[leadweb][pages]") {
    CHECK(outcome_page(Outcome::done, "t", "s").status == 200);
    CHECK(outcome_page(Outcome::changed, "t", "s").status == 409);
    CHECK(outcome_page(Outcome::refused, "t", "s").status == 403);
    CHECK(outcome_page(Outcome::expired, "t", "s").status == 410);
    CHECK(outcome_page(Outcome::invalid, "t", "s").status == 404);
    CHECK(outcome_page(Outcome::bad_input, "t", "s").status == 400);
    CHECK(outcome_page(Outcome::unavailable, "t", "s").status == 503);
    CHECK(wrong_host_page().status == 421);
    CHECK(header(method_not_allowed_page("GET, HEAD, POST"), "Allow") == "GET, HEAD, POST");
}

TEST_CASE("the Host a request must name is public_url's, port included", "[leadweb][pages]") {
    CHECK(expected_host("https://Leads.Example.de") == "leads.example.de");
    CHECK(expected_host("https://leads.example.de/lead-links") == "leads.example.de");
    CHECK(expected_host("http://127.0.0.1:8026") == "127.0.0.1:8026");
    // The scheme's default port is the same host, written or not.
    CHECK(expected_host("https://leads.example.de:443/") == "leads.example.de");
    CHECK(normal_host("Leads.Example.DE:443", true) == "leads.example.de");
    CHECK(normal_host("leads.example.de:80", true) == "leads.example.de:80");
    CHECK(normal_host("leads.example.de:80", false) == "leads.example.de");
}
