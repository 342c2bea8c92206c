#include "mail/command_reply_text.hpp"

#include "mail/header_value.hpp"

namespace lr::mail {

namespace {

std::string lead_words(const CommandFacts& facts) {
    return "Anfrage " + std::to_string(facts.lead_id) +
           (facts.headline.empty() ? std::string() : " (" + facts.headline + ")");
}

NoticeText with_help(NoticeText text) {
    const std::string& help = commands_help();
    const size_t signature = text.text.rfind("\n-- \n");
    text.text.insert(signature == std::string::npos ? text.text.size() : signature, "\n" + help);
    std::string html = "<pre>" + html_escape(help) + "</pre>\n";
    const size_t html_signature = text.html.rfind("<p>-- <br>");
    text.html.insert(html_signature == std::string::npos ? text.html.size() : html_signature, html);
    return text;
}

} // namespace

const std::string& commands_help() {
    static const std::string help =
        "Antworten Sie auf eine Benachrichtigung, mit einem dieser Befehle in der ersten "
        "Zeile:\n"
        "  übernehmen                  Anfrage aus dem Pool übernehmen\n"
        "  erledigt                    Kunde ist beantwortet (Erinnerungen entfallen)\n"
        "  wiedervorlage 03.12. 10:00  Wiedervorlage zu diesem Zeitpunkt\n"
        "  an weber                    Anfrage Weber zuweisen (Vorgesetzte, Administrator)\n"
        "  schließen                   Anfrage schließen\n";
    return help;
}

std::string done_sentence(const core::Dealer& dealer, const core::ReplyCommand& command,
                          const std::string& target_name) {
    switch (command.action) {
    case core::LeadAction::claim:
        return "Sie haben die Anfrage übernommen; sie ist jetzt Ihnen zugewiesen.";
    case core::LeadAction::react:
        return "Die Anfrage ist als beantwortet vermerkt; Erinnerungen und Eskalationen "
               "entfallen.";
    case core::LeadAction::resubmit:
        return "Die Wiedervorlage ist gesetzt: " +
               (command.when ? local_time_text(*command.when, dealer) : std::string("-")) + ".";
    case core::LeadAction::reassign:
        return "Die Anfrage ist jetzt " + target_name + " zugewiesen.";
    case core::LeadAction::close:
        return "Die Anfrage ist geschlossen; es wird nichts mehr zu ihr versandt.";
    case core::LeadAction::reply:
        return "Ihre Antwort an den Kunden ist unterwegs; die Anfrage gilt als beantwortet.";
    }
    return "Erledigt.";
}

NoticeText command_done_text(const core::Dealer& dealer, const CommandFacts& facts,
                             const core::ReplyCommand& command, const std::string& target_name) {
    return field_notice("Erledigt: " + header_value(facts.line, 60) + " – " +
                            header_value(lead_words(facts), 100),
                        done_sentence(dealer, command, target_name),
                        {{"Anfrage", lead_words(facts)}, {"Ihr Befehl", facts.line}}, dealer);
}

NoticeText command_refused_text(const core::Dealer& dealer, const CommandFacts& facts,
                                const std::string& reason) {
    return with_help(field_notice("Nicht ausgeführt: " + header_value(facts.line, 60) + " – " +
                                      header_value(lead_words(facts), 100),
                                  "Ihr Befehl wurde nicht ausgeführt: " + reason,
                                  {{"Anfrage", lead_words(facts)}, {"Ihr Befehl", facts.line}},
                                  dealer));
}

NoticeText command_not_understood_text(const core::Dealer& dealer, const CommandFacts& facts,
                                       const std::string& problem) {
    return with_help(
        field_notice("Nicht verstanden: " + header_value(facts.line, 60),
                     "Ihre Antwort wurde nicht als Befehl verstanden: " + problem,
                     {{"Anfrage", lead_words(facts)}, {"Ihre erste Zeile", facts.line}}, dealer));
}

std::string refusal_text(core::Refusal refusal, const core::LeadStanding& lead,
                         const std::string& holder, const std::string& target_word) {
    using core::Refusal;
    switch (refusal) {
    case Refusal::not_a_user:
        return "Ihre Adresse gehört zu keinem Benutzer dieses Händlers.";
    case Refusal::not_open:
        return lead.state == "merged"
                   ? "Die Anfrage wurde mit einer anderen Anfrage desselben Kunden zusammengeführt."
                   : "Die Anfrage ist bereits geschlossen.";
    case Refusal::not_assigned:
        return "Die Anfrage wird gerade erst verteilt; versuchen Sie es gleich noch einmal.";
    case Refusal::no_pool:
        return "Dieser Händler verteilt Anfragen nicht über einen Pool.";
    case Refusal::not_in_pool:
        return "Die Anfrage liegt nicht mehr im Pool" +
               (holder.empty() ? std::string(".") : ": " + holder + " hat sie bereits.");
    case Refusal::not_assignable:
        return "Ihnen können keine Anfragen zugewiesen werden.";
    case Refusal::not_oldest:
        return "Aus dem Pool kann nur die älteste Anfrage übernommen werden" +
               (lead.pool_head ? ": das ist Anfrage " + std::to_string(*lead.pool_head) + "."
                               : std::string("."));
    case Refusal::claim_first:
        return "Die Anfrage liegt noch im Pool. Übernehmen Sie sie zuerst mit „übernehmen“.";
    case Refusal::not_yours:
        return "Die Anfrage ist " + (holder.empty() ? std::string("jemand anderem") : holder) +
               " zugewiesen, nicht Ihnen.";
    case Refusal::supervisors_only:
        return "Neu zuweisen können nur der Vorgesetzte des Zuständigen und der Administrator.";
    case Refusal::unknown_target:
        return "Einen Benutzer „" + target_word +
               "“ gibt es nicht (oder der Name passt auf "
               "mehrere).";
    case Refusal::target_not_assignable:
        return "„" + target_word + "“ können keine Anfragen zugewiesen werden.";
    case Refusal::tracking_only:
        return "Dieser Händler verfolgt Anfragen nur (Lead-Tracking); Antworten an Kunden gehen "
               "hier nicht, schreiben Sie aus Ihrem E-Mail-Programm.";
    case Refusal::no_external_mail:
        return "Dieser Händler versendet keine E-Mails an Kunden aus dem Lead-System; "
               "schreiben Sie aus Ihrem E-Mail-Programm.";
    }
    return "Der Befehl passt nicht zu dieser Anfrage.";
}

} // namespace lr::mail
