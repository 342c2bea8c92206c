#include "mail/notice_text.hpp"

#include "mail/header_value.hpp"

#include <cctype>
#include <vector>

namespace lr::mail {

std::string local_time_text(core::Instant instant, const core::Dealer& dealer) {
    auto iso = core::format_iso8601(instant, dealer.timezone);
    return iso.substr(8, 2) + "." + iso.substr(5, 2) + "." + iso.substr(0, 4) + ", " +
           iso.substr(11, 5) + " Uhr";
}

namespace {

std::string excerpt(const std::string& text, size_t max_chars) {
    std::string out;
    size_t chars = 0;
    for (char c : text) {
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80 && ++chars > max_chars)
            return out + " …";
        out += c;
    }
    return out;
}

struct Wording {
    std::string subject_prefix;
    std::string opening;
};

Wording wording(const std::string& kind, const LeadSummary& lead, const std::string& due,
                bool pool_lead) {
    if (kind == "assignment_notice" && pool_lead)
        return {"Neue Anfrage im Pool",
                lead.links.empty()
                    ? "Eine neue Anfrage liegt im Pool. Wer sie bearbeiten möchte, übernimmt sie "
                      "im Automanager."
                    : "Eine neue Anfrage liegt im Pool. Wer sie bearbeiten möchte, übernimmt sie "
                      "mit dem Link unten."};
    if (kind == "assignment_notice")
        return {"Neue Anfrage", "Ihnen wurde eine neue Anfrage zugewiesen."};
    if (kind == "reminder")
        return {"Erinnerung", "Diese Anfrage wartet noch auf Ihre Reaktion. Bitte antworten Sie "
                              "bis " +
                                  due + "."};
    if (kind == "level1")
        return {"Eskalationsstufe 1", "Die Reaktionszeit für diese Anfrage ist abgelaufen (" + due +
                                          "). Bitte antworten Sie jetzt."};
    if (kind == "level2")
        return {"Eskalationsstufe 2",
                "Diese Anfrage ist seit der Eskalationsstufe 1 unbeantwortet" +
                    (lead.assignee_name.empty() ? std::string()
                                                : " (zuständig: " + lead.assignee_name + ")") +
                    ". Bitte kümmern Sie sich darum."};
    if (kind == "resubmission")
        return {"Wiedervorlage", "Diese Anfrage ist zur Wiedervorlage fällig (" + due + ")."};
    if (kind == "level2_resubmission")
        return {"Eskalation Wiedervorlage",
                "Die Wiedervorlage dieser Anfrage ist unbearbeitet" +
                    (lead.assignee_name.empty() ? std::string()
                                                : " (zuständig: " + lead.assignee_name + ")") +
                    "."};
    if (kind == "customer_message")
        return {"Neue Nachricht des Kunden", "Der Kunde hat zu dieser Anfrage erneut geschrieben."};
    return {"Hinweis", "Hinweis zu dieser Anfrage."};
}

constexpr std::string_view util_rule = "----------------------------------------";

// Only what a mailto: query may not hold as it is (RFC 6068).
std::string percent_encoded(const std::string& text) {
    static const char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~')
            out += static_cast<char>(c);
        else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::string_view command_word(core::LeadAction action) {
    switch (action) {
    case core::LeadAction::claim:
        return "übernehmen";
    case core::LeadAction::react:
        return "erledigt";
    case core::LeadAction::resubmit:
        return "wiedervorlage TT.MM. HH:MM";
    case core::LeadAction::reassign:
        return "an <Name>";
    case core::LeadAction::close:
        return "schließen";
    case core::LeadAction::reply: // not a mail command
        return "erledigt";
    }
    return "erledigt";
}

// What answering this notice does (issue #14) and which reply commands
// the addressee may write on its first line (issue #15).
std::vector<std::string> reply_hints(const LeadSummary& lead, bool pool_lead) {
    std::vector<std::string> hints;
    if (!lead.answerable)
        return hints;
    if (!pool_lead)
        hints.push_back("Haben Sie dem Kunden geantwortet? Dann antworten Sie kurz auf diese "
                        "E-Mail: Erinnerungen und Eskalationen zu dieser Anfrage entfallen.");
    std::string words;
    for (auto action : lead.commands)
        words += (words.empty() ? "" : " · ") + std::string("„") +
                 std::string(command_word(action)) + "“";
    if (!words.empty())
        hints.push_back(std::string(pool_lead ? "Übernehmen" : "Oder") +
                        ": antworten Sie mit einem Befehl in der ersten Zeile: " + words + ".");
    return hints;
}

} // namespace

namespace {

// The lead's fields, its links, the hints, the Automanager link: the body
// of a notice and of each digest entry.
void append_lead(NoticeText& out, const LeadSummary& lead, const core::Dealer& dealer,
                 const std::string& automanager_url, const std::vector<std::string>& hints,
                 const std::vector<std::pair<std::string, std::string>>& html_hints = {}) {
    const std::string link = automanager_url + std::to_string(lead.id);
    struct Field {
        const char* label;
        std::string value;
    };
    const Field fields[] = {
        {"Eingang", local_time_text(lead.received_at, dealer)},
        {"Art", lead.kind == "tradein" ? "Inzahlungnahme" : "Anfrage"},
        {"Quelle", lead.source},
        {"Kunde", lead.contact_name},
        {"E-Mail", lead.contact_email},
        {"Telefon", lead.contact_phone},
        {"Fahrzeug", lead.vehicle},
        {"Nachricht", excerpt(lead.message, 600)},
    };
    out.html += "<table>\n";
    for (const auto& field : fields) {
        if (field.value.empty())
            continue;
        out.text += std::string(field.label) + ": " + field.value + "\n";
        out.html += "<tr><th align=\"left\">" + std::string(field.label) + "</th><td>" +
                    html_escape(field.value) + "</td></tr>\n";
    }
    out.html += "</table>\n";
    if (!lead.links.empty()) {
        out.text += "\n";
        out.html += "<p>";
        for (const auto& action : lead.links) {
            out.text += action.label + ": " + action.url + "\n";
            out.html +=
                "<a href=\"" + html_escape(action.url) +
                "\" style=\"display:inline-block;padding:8px 14px;margin:4px 8px 4px 0;"
                "background:#0b5cad;color:#ffffff;text-decoration:none;border-radius:4px\">" +
                html_escape(action.label) + "</a>";
        }
        out.html += "</p>\n";
    }
    for (const auto& hint : hints) {
        out.text += "\n" + hint + "\n";
        out.html += "<p>" + html_escape(hint) + "</p>\n";
    }
    for (const auto& [text, html] : html_hints) {
        out.text += "\n" + text + "\n";
        out.html += "<p>" + html + "</p>\n";
    }
    out.text += "\nIm Automanager öffnen: " + link + "\n";
    out.html += "<p><a href=\"" + html_escape(link) + "\">Im Automanager öffnen</a></p>\n";
}

void append_signature(NoticeText& out, const core::Dealer& dealer) {
    out.text += "\n-- \n" + dealer.from_name + "\n";
    out.html += "<p>-- <br>" + html_escape(dealer.from_name) + "</p>\n";
}

std::string headline(const std::string& prefix, const LeadSummary& lead) {
    const std::string contact =
        header_value(lead.contact_name.empty()
                         ? (lead.contact_email.empty() ? lead.contact_phone : lead.contact_email)
                         : lead.contact_name,
                     80);
    const std::string vehicle = header_value(lead.vehicle, 80);
    return prefix + ": Anfrage " + std::to_string(lead.id) +
           (contact.empty() ? "" : " – " + contact) + (vehicle.empty() ? "" : " – " + vehicle);
}

} // namespace

NoticeText notice_text(const std::string& kind, const LeadSummary& lead, const core::Dealer& dealer,
                       const std::string& automanager_url, core::Instant due, bool pool_lead) {
    const Wording words = wording(kind, lead, local_time_text(due, dealer), pool_lead);
    NoticeText out;
    out.subject = headline(words.subject_prefix, lead);
    out.text = words.opening + "\n\n";
    out.html = "<p>" + html_escape(words.opening) + "</p>\n";
    append_lead(out, lead, dealer, automanager_url, reply_hints(lead, pool_lead));
    append_signature(out, dealer);
    return out;
}

NoticeText digest_text(const std::vector<DigestEntry>& entries, const core::Dealer& dealer,
                       const std::string& automanager_url) {
    NoticeText out;
    const std::string count = std::to_string(entries.size());
    out.subject = "Zusammenfassung: " + count + " Hinweise zu Anfragen";
    const std::string opening = "Seit der letzten Öffnungszeit sind " + count +
                                " Hinweise für Sie eingegangen. Jede Anfrage steht unten mit "
                                "dem Grund des Hinweises und dem, was Sie tun können.";
    out.text = opening + "\n";
    out.html = "<p>" + html_escape(opening) + "</p>\n";
    for (size_t i = 0; i < entries.size(); ++i) {
        const auto& entry = entries[i];
        const Wording words =
            wording(entry.kind, entry.lead, local_time_text(entry.due, dealer), entry.pool_lead);
        const std::string title =
            std::to_string(i + 1) + ". " + headline(words.subject_prefix, entry.lead);
        out.text += "\n" + std::string(util_rule) + "\n" + title + "\n" + words.opening + "\n\n";
        out.html += "<hr>\n<h3>" + html_escape(title) + "</h3>\n<p>" + html_escape(words.opening) +
                    "</p>\n";
        std::vector<std::pair<std::string, std::string>> mail_hint;
        if (entry.lead.answerable && !entry.reply_address.empty()) {
            // One reply address per lead: the digest as a whole has none.
            std::string words_text;
            for (auto action : entry.lead.commands)
                words_text += (words_text.empty() ? "" : " · ") + std::string("„") +
                              std::string(command_word(action)) + "“";
            const std::string text =
                "Per E-Mail an " + entry.reply_address +
                (entry.pool_lead ? "" : ": eine Antwort dorthin gilt als Ihre Reaktion") +
                (words_text.empty() ? std::string(".")
                                    : "; Befehle in der ersten Zeile: " + words_text + ".");
            const std::string html =
                "Per E-Mail an <a href=\"mailto:" + html_escape(entry.reply_address) + "?subject=" +
                html_escape(percent_encoded("Anfrage " + std::to_string(entry.lead.id))) + "\">" +
                html_escape(entry.reply_address) + "</a>" +
                html_escape(
                    (entry.pool_lead ? "" : ": eine Antwort dorthin gilt als Ihre Reaktion") +
                    (words_text.empty() ? std::string(".")
                                        : "; Befehle in der ersten Zeile: " + words_text + "."));
            mail_hint.emplace_back(text, html);
        }
        append_lead(out, entry.lead, dealer, automanager_url, {}, mail_hint);
    }
    append_signature(out, dealer);
    return out;
}

NoticeText field_notice(std::string subject, const std::string& opening,
                        const std::vector<std::pair<const char*, std::string>>& fields,
                        const core::Dealer& dealer) {
    NoticeText out;
    out.subject = std::move(subject);
    out.text = opening + "\n\n";
    out.html = "<p>" + html_escape(opening) + "</p>\n<table>\n";
    for (const auto& [label, value] : fields) {
        out.text += std::string(label) + ": " + value + "\n";
        out.html += "<tr><th align=\"left\">" + std::string(label) + "</th><td>" +
                    html_escape(value) + "</td></tr>\n";
    }
    out.text += "\n-- \n" + dealer.from_name + "\n";
    out.html += "</table>\n<p>-- <br>" + html_escape(dealer.from_name) + "</p>\n";
    return out;
}

NoticeText unassignable_text(const core::Dealer& dealer, const std::string& sender,
                             const std::string& subject, const std::string& reason,
                             core::Instant received) {
    const std::string why = reason == "bounce"       ? "Unzustellbarkeitsnachricht"
                            : reason == "auto_reply" ? "Abwesenheitsnotiz / automatische Antwort"
                            : reason == "bulk"       ? "Massen- oder Listen-E-Mail"
                            : reason == "spam"       ? "vom Spamfilter als Spam markiert"
                            : reason == "no_contact" ? "keine Kontaktdaten (E-Mail oder Telefon)"
                            : reason == "unverified_sender"
                                ? "Absender gibt sich als Mitarbeiter aus, ohne Nachweis; "
                                  "nicht als Reaktion gezählt"
                                : reason;
    return field_notice("Nicht zugeordnete E-Mail: " + header_value(subject, 120),
                        "Aus dieser E-Mail an Ihr Postfach konnte keine Anfrage erzeugt werden.",
                        {{"Absender", sender},
                         {"Betreff", subject},
                         {"Grund", why},
                         {"Eingang", local_time_text(received, dealer)}},
                        dealer);
}

NoticeText delivery_failed_text(const core::Dealer& dealer, const FailedDelivery& failed) {
    return field_notice(
        "Unzustellbar: " + header_value(failed.what, 120),
        "Eine E-Mail des Lead-Systems konnte nicht zugestellt werden und wird nicht mehr "
        "versucht. Bitte prüfen Sie die Empfängeradresse bzw. den Mailserver; "
        "erneut senden: leadctl outbox retry " +
            std::to_string(failed.outbox_id) + ".",
        {{"E-Mail", failed.what},
         {"Empfänger", failed.recipients},
         {"Anfrage", failed.lead_id ? std::to_string(*failed.lead_id) : std::string("-")},
         {"Message-ID", failed.message_id},
         {"Antwort des Servers", failed.error},
         {"Eingereiht", local_time_text(failed.queued_since, dealer)}},
        dealer);
}

NoticeText tradein_cc_text(const LeadSummary& lead, const core::Dealer& dealer,
                           const std::string& automanager_url, const std::string& car) {
    const std::string url = automanager_url + std::to_string(lead.id);
    const std::string customer = lead.contact_name.empty() ? lead.contact_email : lead.contact_name;
    NoticeText out;
    out.subject =
        header_value("Inzahlungnahme: " + customer + (car.empty() ? "" : " – " + car), 150);
    const std::string opening = "Neue Anfrage zur Inzahlungnahme (Lead " + std::to_string(lead.id) +
                                "). Die Eckdaten stehen im angehängten PDF, die Original-E-Mail "
                                "des Kunden liegt bei.";
    const std::pair<const char*, std::string> fields[] = {
        {"Kunde", customer},
        {"Fahrzeug", car},
        {"Eingang", local_time_text(lead.received_at, dealer)}};
    out.text = opening + "\n\n";
    out.html = "<p>" + html_escape(opening) + "</p>\n<table>\n";
    for (const auto& [label, value] : fields) {
        out.text += std::string(label) + ": " + value + "\n";
        out.html += "<tr><th align=\"left\">" + std::string(label) + "</th><td>" +
                    html_escape(value) + "</td></tr>\n";
    }
    out.text += "\nIm Automanager: " + url + "\n\n-- \n" + dealer.from_name + "\n";
    out.html += "</table>\n<p><a href=\"" + html_escape(url) +
                "\">Im Automanager öffnen</a></p>\n" + "<p>-- <br>" +
                html_escape(dealer.from_name) + "</p>\n";
    return out;
}

} // namespace lr::mail
