// The text rules that tell machine mail from a person's (SPEC §4, issue
// #21). The corpus (fixtures/mail) shows them on whole messages; these
// pin the edges: what must match, and what a person may write without
// being taken for a machine.
#include "classify/machine_mail.hpp"

#include <catch2/catch.hpp>

using namespace lr::classify;

TEST_CASE("machine senders: the list of SPEC §4, a +tag ignored, people's addresses not",
          "[classify]") {
    for (const char* address :
         {"MAILER-DAEMON@mx.example", "mail-daemon@relay.example", "postmaster@firma.example",
          "Mail.Delivery.System@example.net", "bounce@news.example", "bounces+x1@news.example",
          "autos-bounces@lists.example", "owner-autos@lists.example", "autos-owner@lists.example",
          "autos-request@lists.example", "autos-admin@lists.example"}) {
        INFO(address);
        CHECK(is_machine_sender(address));
    }
    for (const char* address :
         {"anna.berger@example.org", "bouncer@club.example", "postmaster.anna@example.org",
          "admin@autohaus.example", "owner@boat.example", "request@example.org"}) {
        INFO(address);
        CHECK_FALSE(is_machine_sender(address));
    }
}

TEST_CASE("failure wordings: subject or the first lines, English and German, not further down",
          "[classify]") {
    CHECK(says_delivery_failed("Undelivered Mail Returned to Sender", ""));
    CHECK(says_delivery_failed("Unzustellbar: Angebot", ""));
    CHECK(says_delivery_failed("Hinweis", "Ihre Nachricht konnte nicht zugestellt werden."));
    CHECK(says_delivery_failed("Warning", "Delayed Mail (still being retried)"));
    CHECK_FALSE(says_delivery_failed("Ihr Angebot", "Vielen Dank, ich melde mich."));
    // A returned original far below the notice does not count.
    CHECK_FALSE(says_delivery_failed("Hinweis", std::string(2000, 'x') + " undeliverable"));
}

TEST_CASE("auto-reply subjects: the common prefixes in several languages, Notes' AUTO: only in "
          "capitals, a person's words in the middle not",
          "[classify]") {
    for (const char* subject :
         {"Automatische Antwort: Anfrage", "Abwesenheitsnotiz: Ihr Angebot", "Auto reply: Golf",
          "Automatic reply: Your enquiry", "Out of Office: x", "AUTO: Anna is out of the office",
          "Anna Berger ist außer Haus", "Réponse automatique: x", "Respuesta automática: x",
          "Risposta automatica: x", "Automatisch antwoord: x", "  autoreply"}) {
        INFO(subject);
        CHECK(is_auto_reply_subject(subject));
    }
    for (const char* subject : {"Auto: VW Golf, noch da?", "Probefahrt, ich bin Montag abwesend",
                                "Re: Ihr Angebot", "Frage zur automatischen Antwort"}) {
        INFO(subject);
        CHECK_FALSE(is_auto_reply_subject(subject));
    }
}

TEST_CASE("challenge-response requests, English and German", "[classify]") {
    CHECK(is_challenge_request("Please confirm your message",
                               "Click below to confirm that you are a human."));
    CHECK(is_challenge_request("Ihre Nachricht wartet", "Bitte bestätigen Sie, dass Sie ein "
                                                        "Mensch sind."));
    CHECK_FALSE(is_challenge_request("Probefahrt", "Bitte bestätigen Sie den Termin."));
}
