#include "classify/header_reasons.hpp"

#include "classify/machine_mail.hpp"
#include "classify/values.hpp"
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

bool is_report(const MailView& mail, std::string_view type) {
    return mail.mime_type == "multipart/report" && mail.report_type == type;
}

// The envelope sender the milter saw, else what Return-Path says of it;
// nullopt when neither is known.
std::optional<std::string> sender_of(const MailView& mail,
                                     const std::optional<std::string>& envelope_sender) {
    if (envelope_sender)
        return *envelope_sender;
    if (auto return_path = mail.header("Return-Path"))
        return std::string(util::trim(*return_path));
    return std::nullopt;
}

bool is_null_sender(const std::optional<std::string>& sender) {
    return sender && (sender->empty() || *sender == "<>");
}

// From, Sender or the envelope sender is a mail system's own address.
bool from_machine(const MailView& mail, const std::optional<std::string>& sender) {
    for (const auto* list : {&mail.from, &mail.sender})
        for (const auto& address : *list)
            if (is_machine_sender(address.address))
                return true;
    if (sender)
        if (auto address = clean_email(*sender))
            return is_machine_sender(*address);
    return false;
}

// Bounce evidence: a delivery report by structure, or a machine's notice
// in the words MTAs use.
bool is_delivery_report(const MailView& mail, const std::optional<std::string>& sender) {
    if (is_report(mail, "delivery-status") || mail.has_delivery_status_part)
        return true;
    return from_machine(mail, sender) && says_delivery_failed(mail.subject, mail.text());
}

bool is_auto_reply(const MailView& mail) {
    if (auto submitted = mail.header("Auto-Submitted"); submitted && token(submitted) != "no")
        return true;
    return mail.has_header("X-Autoreply") || mail.has_header("X-Autorespond") ||
           token(mail.header("Precedence")) == "auto_reply" ||
           is_report(mail, "disposition-notification") || is_report(mail, "feedback-report") ||
           is_auto_reply_subject(mail.subject) || is_challenge_request(mail.subject, mail.text());
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
    const auto sender = sender_of(mail, envelope_sender);
    if (is_delivery_report(mail, sender))
        return "bounce";
    // Before the bare null sender: RFC 3834 auto-replies are sent with one.
    if (!structured_lead && is_auto_reply(mail))
        return "auto_reply";
    if (is_null_sender(sender))
        return "bounce";
    if (!structured_lead && is_bulk(mail))
        return "bulk";
    if (token(mail.header("X-Spam-Flag")) == "yes")
        return "spam";
    return std::nullopt;
}

} // namespace lr::classify
