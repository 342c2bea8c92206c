#include "config/loader.hpp"
#include "mail/notice_text.hpp"

#include <catch2/catch.hpp>

using namespace lr;

namespace {

std::shared_ptr<const core::Config> example() {
    auto loaded =
        config::load_config_file(std::string(LEADROUTER_SPEC_DIR) + "/config-example.yaml");
    REQUIRE(loaded.config);
    return loaded.config;
}

mail::LeadSummary jana() {
    mail::LeadSummary lead;
    lead.id = 17;
    lead.received_at = *core::parse_iso8601("2026-12-04T15:00", date::locate_zone("Europe/Berlin"));
    lead.kind = "lead";
    lead.source = "mobile.de";
    lead.contact_name = "Jana Krüger";
    lead.contact_email = "jana.krueger@example.org";
    lead.contact_phone = "+4917612345678";
    lead.vehicle = "Volkswagen Golf (HH-2231)";
    lead.message = "Ist das Fahrzeug noch verfügbar? <script>alert(1)</script>";
    lead.assignee_name = "Anna Schmidt";
    return lead;
}

core::Instant due() {
    return *core::parse_iso8601("2026-12-05T10:00", date::locate_zone("Europe/Berlin"));
}

} // namespace

TEST_CASE("every notice kind has its German subject with the lead's key data", "[mail]") {
    auto config = example();
    const auto& dealer = config->dealers[0];
    const std::pair<const char*, const char*> kinds[] = {
        {"assignment_notice", "Neue Anfrage: Anfrage 17"},
        {"reminder", "Erinnerung: Anfrage 17"},
        {"level1", "Eskalationsstufe 1: Anfrage 17"},
        {"level2", "Eskalationsstufe 2: Anfrage 17"},
        {"resubmission", "Wiedervorlage: Anfrage 17"},
        {"level2_resubmission", "Eskalation Wiedervorlage: Anfrage 17"},
        {"customer_message", "Neue Nachricht des Kunden: Anfrage 17"}};
    for (const auto& [kind, subject] : kinds) {
        INFO(kind);
        auto text =
            mail::notice_text(kind, jana(), dealer, config->system.automanager_url, due(), false);
        CHECK(text.subject == std::string(subject) + " – Jana Krüger – Volkswagen Golf (HH-2231)");
        CHECK(text.text.find("Im Automanager öffnen: https://automanager.example/leads/17") !=
              std::string::npos);
        CHECK(text.text.find("Telefon: +4917612345678\n") != std::string::npos);
        CHECK(text.html.find("<a href=\"https://automanager.example/leads/17\">") !=
              std::string::npos);
    }
    auto pool = mail::notice_text("assignment_notice", jana(), dealer,
                                  config->system.automanager_url, due(), true);
    CHECK(pool.subject.rfind("Neue Anfrage im Pool: Anfrage 17", 0) == 0);
}

TEST_CASE("notice texts carry due times in the dealer's zone and escape HTML", "[mail]") {
    auto config = example();
    auto text = mail::notice_text("reminder", jana(), config->dealers[0],
                                  config->system.automanager_url, due(), false);
    CHECK(text.text.find("bis 05.12.2026, 10:00 Uhr") != std::string::npos);
    CHECK(text.text.find("Eingang: 04.12.2026, 15:00 Uhr") != std::string::npos);
    CHECK(text.html.find("<script>") == std::string::npos);
    CHECK(text.html.find("&lt;script&gt;") != std::string::npos);
    auto level2 = mail::notice_text("level2", jana(), config->dealers[0],
                                    config->system.automanager_url, due(), false);
    CHECK(level2.text.find("(zuständig: Anna Schmidt)") != std::string::npos);
}

TEST_CASE("a hostile name cannot break the subject", "[mail]") {
    auto config = example();
    auto lead = jana();
    lead.contact_name = "Eve\r\nBcc: x@example.org " + std::string(10000, 'E');
    auto text = mail::notice_text("assignment_notice", lead, config->dealers[0],
                                  config->system.automanager_url, due(), false);
    CHECK(text.subject.find('\n') == std::string::npos);
    CHECK(text.subject.find('\r') == std::string::npos);
    CHECK(text.subject.size() < 250);
}

TEST_CASE("the unassignable notice names sender, subject, reason and receipt", "[mail]") {
    auto config = example();
    auto text =
        mail::unassignable_text(config->dealers[0], "MAILER-DAEMON@mx.example",
                                "Undelivered Mail Returned to Sender\r\nBcc: x", "bounce", due());
    CHECK(text.subject == "Nicht zugeordnete E-Mail: Undelivered Mail Returned to Sender Bcc: x");
    CHECK(text.text.find("Absender: MAILER-DAEMON@mx.example\n") != std::string::npos);
    CHECK(text.text.find("Grund: Unzustellbarkeitsnachricht\n") != std::string::npos);
    CHECK(text.text.find("Eingang: 05.12.2026, 10:00 Uhr\n") != std::string::npos);
    auto no_contact = mail::unassignable_text(config->dealers[0], "info@example.org", "Hallo",
                                              "no_contact", due());
    CHECK(no_contact.html.find("keine Kontaktdaten (E-Mail oder Telefon)") != std::string::npos);
    // Every reason in words (issue #21), never the code.
    for (const auto& [reason, words] : std::vector<std::pair<std::string, std::string>>{
             {"auto_reply", "Grund: Abwesenheitsnotiz / automatische Antwort\n"},
             {"bulk", "Grund: Massen- oder Listen-E-Mail\n"},
             {"spam", "Grund: vom Spamfilter als Spam markiert\n"}}) {
        INFO(reason);
        auto notice =
            mail::unassignable_text(config->dealers[0], "a@example.org", "Hallo", reason, due());
        CHECK(notice.text.find(words) != std::string::npos);
    }
}

TEST_CASE("the trade-in CC text: cover, customer, car, receipt, link, a hostile name stays in "
          "one subject line",
          "[mail][tradein]") {
    auto config = example();
    const auto& dealer = config->dealers[0];
    auto text =
        mail::tradein_cc_text(jana(), dealer, "https://automanager.example/leads/", "Opel Astra");
    CHECK(text.subject == "Inzahlungnahme: Jana Krüger – Opel Astra");
    CHECK(text.text.find("Lead 17") != std::string::npos);
    CHECK(text.text.find("Eingang: 04.12.2026, 15:00 Uhr") != std::string::npos);
    CHECK(text.text.find("https://automanager.example/leads/17") != std::string::npos);

    auto hostile = jana();
    hostile.contact_name = "Evil\r\nBcc: victim@example.org " + std::string(10'000, 'x');
    auto evil =
        mail::tradein_cc_text(hostile, dealer, "https://automanager.example/leads/", "<b>Opel</b>");
    CHECK(evil.subject.find('\r') == std::string::npos);
    CHECK(evil.subject.find('\n') == std::string::npos);
    CHECK(evil.subject.size() < 1000);
    CHECK(evil.html.find("<b>Opel</b>") == std::string::npos); // escaped
}

TEST_CASE("a notice carries its addressee's links as text lines and as HTML buttons",
          "[mail][web]") {
    auto config = example();
    const auto& dealer = config->dealers[0];
    auto lead = jana();
    lead.links = {{"Übernehmen", "https://leads.example.de/a/abc.def"},
                  {"x", "https://leads.example.de/a/\"><script>"}};
    auto text = mail::notice_text("assignment_notice", lead, dealer, config->system.automanager_url,
                                  due(), true);
    CHECK(text.text.find("Übernehmen: https://leads.example.de/a/abc.def\n") != std::string::npos);
    CHECK(text.html.find("<a href=\"https://leads.example.de/a/abc.def\"") != std::string::npos);
    CHECK(text.html.find(">Übernehmen</a>") != std::string::npos);
    CHECK(text.html.find("<script>") == std::string::npos);
    // The pool notice says where to claim it: the link, not the Automanager.
    CHECK(text.text.find("übernimmt sie mit dem Link unten") != std::string::npos);
    auto without = mail::notice_text("assignment_notice", jana(), dealer,
                                     config->system.automanager_url, due(), true);
    CHECK(without.text.find("übernimmt sie im Automanager") != std::string::npos);
    CHECK(without.text.find("/a/") == std::string::npos);
}

TEST_CASE("the digest lists each held notice with its reason, the lead's data, its links and "
          "its own reply address with the commands, escaped in HTML",
          "[mail][digest]") {
    auto config = example();
    const auto& dealer = config->dealers[0];
    mail::DigestEntry notice{"assignment_notice", due(), jana(), false, "mueller+rAAAA@dein.auto"};
    notice.lead.answerable = true;
    notice.lead.commands = {core::LeadAction::react, core::LeadAction::close};
    notice.lead.links = {{"Erledigt", "https://leads.example/a/x?y=1&z=2"}};
    mail::DigestEntry wrote_again{"customer_message", due(), jana(), false, ""};
    wrote_again.lead.id = 18;
    wrote_again.lead.contact_name = "Evil\r\nBcc: all@example.org <b>";
    mail::DigestEntry pool{"assignment_notice", due(), jana(), true, "mueller+rBBBB@dein.auto"};
    pool.lead.id = 19;
    pool.lead.answerable = true;
    pool.lead.commands = {core::LeadAction::claim};
    auto text = mail::digest_text({notice, wrote_again, pool}, dealer, "https://am.example/");
    CHECK(text.subject == "Zusammenfassung: 3 Hinweise zu Anfragen");
    CHECK(text.text.find("1. Neue Anfrage: Anfrage 17 – Jana Krüger – Volkswagen Golf (HH-2231)") !=
          std::string::npos);
    CHECK(text.text.find("2. Neue Nachricht des Kunden: Anfrage 18 – Evil Bcc: all@example.org") !=
          std::string::npos);
    CHECK(text.text.find("3. Neue Anfrage im Pool: Anfrage 19") != std::string::npos);
    CHECK(text.text.find("Per E-Mail an mueller+rAAAA@dein.auto: eine Antwort dorthin gilt als "
                         "Ihre Reaktion; Befehle in der ersten Zeile: „erledigt“ · „schließen“.") !=
          std::string::npos);
    CHECK(text.text.find("Per E-Mail an mueller+rBBBB@dein.auto; Befehle in der ersten Zeile: "
                         "„übernehmen“.") != std::string::npos);
    CHECK(text.text.find("Erledigt: https://leads.example/a/x?y=1&z=2") != std::string::npos);
    CHECK(text.text.find("Im Automanager öffnen: https://am.example/18") != std::string::npos);
    CHECK(text.html.find("href=\"mailto:mueller+rAAAA@dein.auto?subject=Anfrage%2017\"") !=
          std::string::npos);
    CHECK(text.html.find("https://leads.example/a/x?y=1&amp;z=2") != std::string::npos);
    CHECK(text.html.find("<script>") == std::string::npos);
    CHECK(text.html.find("<b>") == std::string::npos);
    // The reply hint of a single notice ("answer this mail") would be
    // wrong here: the digest itself has no reply address.
    CHECK(text.text.find("antworten Sie kurz auf diese E-Mail") == std::string::npos);
}
