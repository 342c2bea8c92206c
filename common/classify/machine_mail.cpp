#include "classify/machine_mail.hpp"

#include "util/strings.hpp"

#include <array>
#include <string>

namespace lr::classify {

namespace {

// How much of the text the wordings are looked for in: the notice's first
// lines, not a returned original quoted below them.
constexpr size_t notice_prefix = 1500;

// Delivery failed or delayed, in the words of the common MTAs and
// providers (lower case; ASCII folding only, so the German entries carry
// their umlauts in lower case).
constexpr std::array failure_wordings = {
    // English (Postfix, Sendmail, Exim, qmail, Exchange, Gmail, Yahoo, Notes)
    "undeliverable", "undelivered mail", "returned mail", "delivery status notification",
    "delivery failure", "delivery failed", "delivery has failed", "mail delivery failed",
    "failure notice", "could not be delivered", "couldn't be delivered", "was not delivered",
    "wasn't delivered", "unable to deliver", "wasn't able to deliver", "not able to deliver",
    "permanent fatal errors", "permanent error", "delayed mail", "delivery delayed",
    "still being retried", "non-delivery", "nondeliverable", "returning message to sender",
    "message not delivered", "delivery notification",
    // German (Exchange/Office 365, GMX/Web.de, T-Online, Exim, Notes)
    "unzustellbar", "nicht zugestellt", "nicht zustellbar", "zustellung fehlgeschlagen",
    "zustellung ist fehlgeschlagen", "zustellung an folgende empfänger", "nicht erreicht",
    "zustellung verzögert", "verzögerte zustellung", "fehlgeschlagene zustellung",
    "konnte nicht ausgeliefert werden"};

// Subjects of automatic answers, at the start (after spaces).
constexpr std::array auto_reply_prefixes = {"abwesenheitsnotiz",
                                            "automatische antwort",
                                            "automatische rückantwort",
                                            "abwesend:",
                                            "out of office",
                                            "out of the office",
                                            "auto reply",
                                            "auto-reply",
                                            "autoreply",
                                            "automatic reply",
                                            "auto response",
                                            "auto-response",
                                            "autoresponse",
                                            "réponse automatique",
                                            "respuesta automática",
                                            "risposta automatica",
                                            "automatisch antwoord",
                                            "resposta automática",
                                            "automatyczna odpowiedź",
                                            "otomatik yanıt"};

// Anywhere in the subject: the Notes form "AUTO: <name> is out of the
// office (returning …)" also comes without the prefix.
constexpr std::array auto_reply_phrases = {"is out of the office", "ist außer haus",
                                           "ist ausser haus", "ist nicht im büro"};

constexpr std::array challenge_wordings = {"challenge-response",
                                           "confirm that you are a human",
                                           "confirm you are a human",
                                           "verify that you are a human",
                                           "verify you are a human",
                                           "prove that you are a human",
                                           "prove you are human",
                                           "sender verification",
                                           "spam arrest",
                                           "boxbe",
                                           "dass sie ein mensch sind",
                                           "dass sie kein roboter sind",
                                           "absenderbestätigung",
                                           "absender-verifizierung"};

template <size_t N>
bool contains_any(std::string_view lower, const std::array<const char*, N>& phrases) {
    for (const char* phrase : phrases)
        if (lower.find(phrase) != std::string_view::npos)
            return true;
    return false;
}

bool ends_with(std::string_view text, std::string_view suffix) {
    return text.size() > suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string lowered_start(std::string_view text) {
    return util::to_lower(text.substr(0, notice_prefix));
}

} // namespace

bool is_machine_sender(std::string_view address) {
    std::string local = util::to_lower(address.substr(0, address.find('@')));
    local = local.substr(0, local.find('+'));
    for (const char* exact : {"mailer-daemon", "mail-daemon", "postmaster", "mail.delivery.system",
                              "bounce", "bounces"})
        if (local == exact)
            return true;
    return local.rfind("owner-", 0) == 0 || ends_with(local, "-bounces") ||
           ends_with(local, "-owner") || ends_with(local, "-request") || ends_with(local, "-admin");
}

bool says_delivery_failed(std::string_view subject, std::string_view text) {
    return contains_any(util::to_lower(subject), failure_wordings) ||
           contains_any(lowered_start(text), failure_wordings);
}

bool is_auto_reply_subject(std::string_view subject) {
    subject = util::trim(subject);
    // Notes writes "AUTO:" in capitals; "Auto: Golf" is a German customer's car.
    if (subject.rfind("AUTO:", 0) == 0)
        return true;
    const std::string lower = util::to_lower(subject);
    for (const char* prefix : auto_reply_prefixes)
        if (lower.rfind(prefix, 0) == 0)
            return true;
    return contains_any(lower, auto_reply_phrases);
}

bool is_challenge_request(std::string_view subject, std::string_view text) {
    return contains_any(util::to_lower(subject), challenge_wordings) ||
           contains_any(lowered_start(text), challenge_wordings);
}

} // namespace lr::classify
