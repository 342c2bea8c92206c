#include "classify/header_reasons.hpp"

#include "util/strings.hpp"

namespace lr::classify {

namespace {

// The header's first token, lower case ("auto-replied; x=y" → "auto-replied").
std::string token(const std::optional<std::string>& value) {
    if (!value)
        return {};
    std::string_view text = *value;
    text = text.substr(0, text.find(';'));
    return util::to_lower(util::trim(text));
}

bool is_bounce(const MailView& mail, const std::optional<std::string>& envelope_sender) {
    if (envelope_sender) {
        if (envelope_sender->empty() || *envelope_sender == "<>")
            return true;
    } else if (auto return_path = mail.header("Return-Path");
               return_path && util::trim(*return_path) == "<>") {
        return true;
    }
    return mail.mime_type == "multipart/report" && mail.report_type == "delivery-status";
}

bool is_auto_reply(const MailView& mail) {
    if (auto submitted = mail.header("Auto-Submitted"); submitted && token(submitted) != "no")
        return true;
    return mail.has_header("X-Autoreply") || mail.has_header("X-Autorespond") ||
           token(mail.header("Precedence")) == "auto_reply" ||
           (mail.mime_type == "multipart/report" && mail.report_type == "disposition-notification");
}

bool is_bulk(const MailView& mail) {
    std::string precedence = token(mail.header("Precedence"));
    return precedence == "bulk" || precedence == "junk" || precedence == "list" ||
           mail.has_header("List-Id") || mail.has_header("List-Unsubscribe");
}

} // namespace

std::optional<std::string> header_reason(const MailView& mail,
                                         const std::optional<std::string>& envelope_sender,
                                         bool structured_lead) {
    if (is_bounce(mail, envelope_sender))
        return "bounce";
    if (!structured_lead && is_auto_reply(mail))
        return "auto_reply";
    if (!structured_lead && is_bulk(mail))
        return "bulk";
    if (token(mail.header("X-Spam-Flag")) == "yes")
        return "spam";
    return std::nullopt;
}

} // namespace lr::classify
