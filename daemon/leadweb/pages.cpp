#include "pages.hpp"

#include "mail/header_value.hpp"
#include "web/action_links.hpp"

#include <array>
#include <openssl/evp.h>
#include <openssl/sha.h>

namespace lr::leadweb {

namespace {

const std::string style =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;"
    "padding:16px;color:#1b1b1b;background:#f4f5f7}"
    "main{max-width:34rem;margin:0 auto;background:#fff;border-radius:8px;padding:20px;"
    "box-shadow:0 1px 3px rgba(0,0,0,.15)}"
    "h1{font-size:1.3rem;margin:0 0 12px}p{line-height:1.45}"
    "table{border-collapse:collapse;width:100%;margin:12px 0}"
    "th{text-align:left;font-weight:600;padding:4px 12px 4px 0;vertical-align:top;"
    "white-space:nowrap}td{padding:4px 0}"
    "label{display:block;font-weight:600;margin:12px 0 4px}"
    "input,select,textarea{font-size:1rem;padding:8px;width:100%;box-sizing:border-box}"
    "label.check{font-weight:400}label.check input{width:auto;margin-right:8px}"
    "button{font-size:1.1rem;padding:12px 20px;margin-top:16px;border:0;border-radius:6px;"
    "background:#0b5cad;color:#fff;width:100%}"
    ".done{color:#1a6b2f}.problem{color:#9b1c1c}";

std::string style_hash() {
    std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
    SHA256(reinterpret_cast<const unsigned char*>(style.data()), style.size(), digest.data());
    std::string out(4 * ((digest.size() + 2) / 3) + 1, '\0');
    const int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), digest.data(),
                                       static_cast<int>(digest.size()));
    out.resize(static_cast<size_t>(length));
    return out;
}

const std::string& content_security_policy() {
    static const std::string policy = "default-src 'none'; style-src 'sha256-" + style_hash() +
                                      "'; form-action 'self'; frame-ancestors 'none'; "
                                      "base-uri 'none'";
    return policy;
}

std::string escape(const std::string& text) {
    return mail::html_escape(text);
}

std::string document(const std::string& title, const std::string& body) {
    return "<!DOCTYPE html>\n<html lang=\"de\"><head><meta charset=\"utf-8\">"
           "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
           "<meta name=\"robots\" content=\"noindex,nofollow\">"
           "<title>" +
           escape(title) + "</title><style>" + style + "</style></head>\n<body><main>\n<h1>" +
           escape(title) + "</h1>\n" + body + "</main></body></html>\n";
}

std::string lead_table(const PageLead& lead) {
    const std::pair<const char*, std::string> rows[] = {{"Anfrage", std::to_string(lead.id)},
                                                        {"Eingang", lead.received},
                                                        {"Art", lead.kind},
                                                        {"Quelle", lead.source},
                                                        {"Kunde", lead.contact},
                                                        {"Fahrzeug", lead.vehicle},
                                                        {"Zuständig", lead.holder}};
    std::string html = "<table>\n";
    for (const auto& [label, value] : rows)
        if (!value.empty())
            html += "<tr><th>" + std::string(label) + "</th><td>" + escape(value) + "</td></tr>\n";
    return html + "</table>\n";
}

std::string question(core::LeadAction action) {
    switch (action) {
    case core::LeadAction::claim:
        return "Diese Anfrage übernehmen?";
    case core::LeadAction::react:
        return "Diese Anfrage als beantwortet vermerken?";
    case core::LeadAction::resubmit:
        return "Wiedervorlage für diese Anfrage setzen";
    case core::LeadAction::reassign:
        return "Diese Anfrage neu zuweisen";
    case core::LeadAction::close:
        return "Diese Anfrage schließen?";
    case core::LeadAction::reply:
        return "Dem Kunden antworten";
    }
    return "Bestätigen";
}

std::string explanation(core::LeadAction action) {
    switch (action) {
    case core::LeadAction::claim:
        return "Die Anfrage wird Ihnen zugewiesen; die anderen sehen, dass Sie sie haben.";
    case core::LeadAction::react:
        return "Erinnerungen und Eskalationen zu dieser Anfrage entfallen.";
    case core::LeadAction::resubmit:
        return "Zur gewählten Zeit werden Sie wieder an die Anfrage erinnert.";
    case core::LeadAction::reassign:
        return "Der neue Zuständige wird benachrichtigt.";
    case core::LeadAction::close:
        return "Zu dieser Anfrage wird nichts mehr versandt.";
    case core::LeadAction::reply:
        return "Ihre Antwort geht als E-Mail des Autohauses an den Kunden, als Antwort auf "
               "seine Anfrage; die Anfrage gilt dann als beantwortet.";
    }
    return {};
}

int status_of(Outcome outcome) {
    switch (outcome) {
    case Outcome::done:
        return 200;
    case Outcome::changed:
        return 409;
    case Outcome::refused:
        return 403;
    case Outcome::expired:
        return 410;
    case Outcome::invalid:
        return 404;
    case Outcome::bad_input:
        return 400;
    case Outcome::unavailable:
        return 503;
    }
    return 500;
}

HttpResponse html_response(int status, std::string body) {
    HttpResponse response;
    response.status = status;
    response.body = std::move(body);
    add_security_headers(response);
    return response;
}

} // namespace

void add_security_headers(HttpResponse& response) {
    response.headers.insert(response.headers.end(),
                            {{"Content-Security-Policy", content_security_policy()},
                             {"Referrer-Policy", "no-referrer"},
                             {"X-Frame-Options", "DENY"},
                             {"X-Content-Type-Options", "nosniff"},
                             {"Cache-Control", "no-store"},
                             {"X-Robots-Tag", "noindex, nofollow"}});
}

HttpResponse confirm_page(const ConfirmPage& page) {
    std::string body = "<p>" + escape(explanation(page.action)) + "</p>\n" + lead_table(page.lead) +
                       "<form method=\"post\">\n";
    if (page.action == core::LeadAction::resubmit)
        body += "<label for=\"when\">Wiedervorlage am</label>"
                "<input type=\"datetime-local\" id=\"when\" name=\"when\" required value=\"" +
                escape(page.resubmit_default) + "\">\n";
    if (page.action == core::LeadAction::reply) {
        body += "<label for=\"text\">Ihre Antwort" +
                (page.reply_to.empty() ? std::string() : " an " + escape(page.reply_to)) +
                "</label><textarea id=\"text\" name=\"text\" rows=\"10\" required "
                "maxlength=\"60000\"></textarea>\n";
        if (page.offer_expose)
            body += "<label class=\"check\"><input type=\"checkbox\" name=\"expose\" "
                    "value=\"1\"> Exposé anhängen</label>\n";
    }
    if (page.action == core::LeadAction::reassign) {
        body += "<label for=\"to\">Neu zuweisen an</label><select id=\"to\" name=\"to\" "
                "required>\n";
        for (const auto& [id, name] : page.reassign_to)
            body += "<option value=\"" + escape(id) + "\">" + escape(name) + "</option>\n";
        body += "</select>\n";
    }
    body += "<button type=\"submit\">" + escape(web::action_label(page.action)) +
            "</button>\n</form>\n";
    if (!page.user_name.empty())
        body += "<p>Dieser Link gilt für " + escape(page.user_name) + ".</p>\n";
    return html_response(200, document(question(page.action), body));
}

HttpResponse outcome_page(Outcome outcome, const std::string& title, const std::string& sentence,
                          const std::optional<PageLead>& lead) {
    const char* css = outcome == Outcome::done ? "done" : "problem";
    std::string body = "<p class=\"" + std::string(css) + "\">" + escape(sentence) + "</p>\n";
    if (lead)
        body += lead_table(*lead);
    return html_response(status_of(outcome), document(title, body));
}

HttpResponse not_found_page() {
    return html_response(404, document("Nicht gefunden", "<p>Diese Seite gibt es nicht.</p>\n"));
}

HttpResponse method_not_allowed_page(const std::string& allow) {
    auto response = html_response(
        405, document("Nicht erlaubt", "<p>Diese Anfrageart ist hier nicht erlaubt.</p>\n"));
    response.headers.emplace_back("Allow", allow);
    return response;
}

HttpResponse wrong_host_page() {
    return html_response(
        421, document("Falsche Adresse", "<p>Diese Adresse wird hier nicht bedient.</p>\n"));
}

} // namespace lr::leadweb
