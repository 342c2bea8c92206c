// The rules of SPEC §4 and lead-formats.md, one at a time, on small
// messages written inline.
#include "classify/adf.hpp"
#include "classify/classifier.hpp"
#include "classify/html_text.hpp"
#include "classify/person_text.hpp"
#include "classify/phone.hpp"
#include "classify/values.hpp"

#include <catch2/catch.hpp>

using namespace lr::classify;

namespace {

Record classify_text(const std::string& raw, const Envelope& envelope = {},
                     const Classifier& classifier = Classifier()) {
    auto record = classify_bytes(classifier, raw, envelope);
    REQUIRE(record.ok());
    return *record;
}

const std::string person = "From: Jana Krüger <jana@example.org>\nTo: mueller@dein.auto\n"
                           "Subject: Frage\n\nIst der Golf noch da?\n";

} // namespace

TEST_CASE("values: first registration, mileage, names, addresses", "[classify]") {
    CHECK(first_registration("03/2016") == "2016-03");
    CHECK(first_registration("3.2016") == "2016-03");
    CHECK(first_registration("2016-03") == "2016-03");
    CHECK(first_registration("01.03.2016") == "2016-03");
    CHECK(first_registration("2016") == "2016");
    CHECK(first_registration("13/2016") == std::nullopt);
    CHECK(first_registration("bald") == std::nullopt);
    CHECK(mileage_km("98.000 km") == 98000);
    CHECK(mileage_km("98 000") == 98000);
    CHECK(mileage_km("98,000") == 98000);
    CHECK(mileage_km("ca. 5000") == std::nullopt);
    CHECK(split_name("Krüger, Jana") ==
          std::pair<std::optional<std::string>, std::optional<std::string>>{"Jana", "Krüger"});
    CHECK(split_name("Hans  Peter Wolf").first == "Hans Peter");
    CHECK(split_name("Jonas").second == std::nullopt);
    CHECK(clean_email("mailto:Jana@Example.org") == "jana@example.org");
    CHECK(clean_email("Jana <Jana@Example.org>") == "jana@example.org");
    CHECK(clean_email("keine Angabe") == std::nullopt);
    CHECK(clean_text("  a \t b\n\nc  ") == "a b c");
    CHECK(clean_text(" \n ") == std::nullopt);
    for (const char* machine : {"noreply@x.de", "no-reply@x.de", "donotreply@x.de",
                                "do-not-reply@x.de", "MAILER-DAEMON@x.de", "postmaster@x.de"})
        CHECK(is_machine_address(machine));
    CHECK_FALSE(is_machine_address("norbert@x.de"));
}

TEST_CASE("phones are normalised to E.164 with region DE", "[classify]") {
    CHECK(e164_phone("0176 12345678") == "+4917612345678");
    CHECK(e164_phone("+49 (0)40 123-4567") == "+49401234567");
    CHECK(e164_phone("040/1234567 (Büro)") == "+49401234567");
    CHECK(e164_phone("0043 664 1234567") == "+436641234567");
    CHECK(e164_phone("12") == std::nullopt);
    CHECK(e164_phone("keine") == std::nullopt);
}

TEST_CASE("html to text: rows become label lines, blocks break, scripts vanish", "[classify]") {
    std::string text = html_to_text(
        "<style>p{}</style><script>alert(1)</script><h1>Titel</h1><p>a<br>b &amp; c</p>"
        "<table><tr><td>Vorname:</td><td> Jana </td></tr><tr><td>Ort</td><td>Kiel</td></tr>"
        "</table><div>Ende</div>");
    CHECK(text == "Titel\na\nb & c\nVorname: Jana\nOrt: Kiel\nEnde");
}

TEST_CASE("person text: quotes, attribution blocks and the signature are not the message",
          "[classify]") {
    auto text = split_person_text("Hallo\n> alt\nneu\n-- \nTel: 040 123456\n"
                                  "Am 1.1. schrieb X:\n> ganz alt\nTelefon: 030 999999\n");
    CHECK(text.own == "Hallo\nneu\n");
    CHECK(text.signature == "Tel: 040 123456\n");
    CHECK(labelled_phone(text.own + text.signature) == "+4940123456");
    CHECK(labelled_phone("Telefonat am Montag 0401234567") == std::nullopt);
}

TEST_CASE("ADF: names, first phone, vehicles by interest, provider", "[classify][adf]") {
    auto lead = read_adf("<adf><prospect><customer><contact><name part=\"full\">Hans Peter "
                         "Wolf</name><phone type=\"fax\">040 111111</phone><phone>040 "
                         "222222</phone></contact></customer><vehicle interest=\"sell\"><make>"
                         "Opel</make><odometer units=\"mi\">1000</odometer></vehicle><vehicle>"
                         "<id>77</id></vehicle><provider><name>P</name></provider></prospect>"
                         "</adf>");
    REQUIRE(lead);
    CHECK(lead->contact.first_name == "Hans Peter");
    CHECK(lead->contact.last_name == "Wolf");
    CHECK(lead->contact.phone == "+4940111111"); // the first one, whatever its type
    REQUIRE(lead->trade_in);
    CHECK(lead->trade_in->make == "Opel");
    CHECK(lead->trade_in->mileage_km == 1609);
    REQUIRE(lead->vehicle);
    CHECK(lead->vehicle->listing_id == "77");
    CHECK(lead->provider == "P");
    CHECK_FALSE(read_adf("<adf><prospect>never closed"));
    CHECK_FALSE(read_adf("<adfoo></adfoo>"));
}

TEST_CASE("unassignable reasons apply in order", "[classify]") {
    SECTION("a null envelope sender is a bounce, before spam") {
        auto record = classify_text(person + "", Envelope{""});
        CHECK(record.reason == "bounce");
        record = classify_text("X-Spam-Flag: YES\n" + person, Envelope{""});
        CHECK(record.reason == "bounce");
    }
    SECTION("with a known envelope sender, Return-Path is not consulted") {
        auto record = classify_text("Return-Path: <>\n" + person, Envelope{"jana@example.org"});
        CHECK(record.kind == "lead");
    }
    SECTION("auto reply before bulk before spam") {
        auto record = classify_text("Auto-Submitted: auto-replied\nPrecedence: bulk\n"
                                    "X-Spam-Flag: YES\n" +
                                    person);
        CHECK(record.reason == "auto_reply");
        record = classify_text("Precedence: list\nX-Spam-Flag: yes\n" + person);
        CHECK(record.reason == "bulk");
        record = classify_text("X-Spam-Flag: YES\n" + person);
        CHECK(record.reason == "spam");
        record = classify_text("X-Spam-Flag: NO\n" + person);
        CHECK(record.kind == "lead");
    }
    SECTION("a form lead is never auto_reply or bulk, but spam and bounce still count") {
        const std::string form = "From: web@shop.example\nAuto-Submitted: auto-generated\n"
                                 "List-Id: <x>\nSubject: x\n\nName: A B\nE-Mail: a@b.example\n";
        CHECK(classify_text(form).kind == "lead");
        CHECK(classify_text("X-Spam-Flag: YES\n" + form).reason == "spam");
        CHECK(classify_text(form, Envelope{""}).reason == "bounce");
    }
}

TEST_CASE("own mailboxes are no customer: any @dein.auto without a configuration", "[classify]") {
    auto record = classify_text("From: Kiel <irgendwer+tag@Dein.Auto>\nSubject: x\n\nText\n");
    CHECK(record.reason == "no_contact");
    lr::core::Config config;
    lr::core::Dealer dealer;
    dealer.locations.push_back({"hh", "mueller@dein.auto", std::nullopt});
    config.dealers.push_back(dealer);
    Classifier configured(&config);
    CHECK(configured.is_excluded_address("Mueller+abc@dein.auto"));
    CHECK_FALSE(configured.is_excluded_address("irgendwer@dein.auto"));
    CHECK(configured.is_excluded_address("no-reply@example.org"));
}

TEST_CASE("trade-in words in subject or request type make a trade-in request", "[classify]") {
    for (const char* subject : {"Inzahlungnahme", "ANKAUF", "Fahrzeugankauf", "Fahrzeugbewertung",
                                "Auto verkaufen", "fahrzeug verkaufen", "Trade-In"})
        CHECK(mentions_trade_in(subject));
    CHECK_FALSE(mentions_trade_in("Kaufanfrage"));
    auto record = classify_text("From: a@b.example\nSubject: Frage\n\nVorname: A\nE-Mail: "
                                "a@b.example\nAnfrageart: Fahrzeugankauf\nMarke: VW\n");
    CHECK(record.kind == "tradein");
    REQUIRE(record.trade_in);
    CHECK(record.trade_in->make == "VW");
    CHECK(record.vehicle.make == std::nullopt);
    CHECK_FALSE(record.has_vehicle_reference);
}

TEST_CASE("hostile input is classified, never crashes", "[classify][robustness]") {
    std::string long_header = "From: a@b.example\nX-Long: " + std::string(100'000, 'x') +
                              "\nSubject: " + std::string(50'000, 'y') + "\n\nText\n";
    CHECK(classify_text(long_header).kind == "lead");

    std::string many = "From: a@b.example\nContent-Type: multipart/mixed; boundary=b\n\n";
    for (int i = 0; i < 1000; ++i)
        many += "--b\nContent-Type: text/plain\n\nTeil " + std::to_string(i) + "\n";
    many += "--b--\n";
    auto view = read_mail(many);
    REQUIRE(view);
    CHECK(view->part_count == 1001);

    std::string nested = "From: a@b.example\n";
    for (int i = 0; i < 500; ++i)
        nested += "Content-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\n\n--b" +
                  std::to_string(i) + "\n";
    nested += "Content-Type: text/plain\n\ndeep\n";
    CHECK(classify_bytes(Classifier(), nested).ok());

    std::string binary(4096, '\0');
    for (size_t i = 0; i < binary.size(); ++i)
        binary[i] = static_cast<char>(i * 7);
    CHECK(classify_bytes(Classifier(), "From: a@b.example\n\n" + binary).ok());
}

TEST_CASE("a 50 MB message is classified from its first megabyte", "[classify][robustness]") {
    std::string big = "From: Jana <jana@example.org>\nSubject: Anhang\n\nVorname: Jana\nE-Mail: "
                      "jana@example.org\nNachricht: siehe unten\n";
    const std::string line(76, 'x');
    big.reserve(50u << 20);
    while (big.size() < (50u << 20))
        big += line + "\n";
    auto record = classify_text(big);
    CHECK(record.kind == "lead");
    CHECK(record.source == "website");
    CHECK(record.contact.email == "jana@example.org");
}

TEST_CASE("the text budget: of a huge HTML part only the first megabyte is decoded and parsed",
          "[classify][attack]") {
    // 2 MB of markup without text, then a phone number: beyond the budget.
    std::string markup;
    while (markup.size() < 2u * 1024 * 1024)
        markup += "<div><span></span></div>\n";
    auto mail = [&](const std::string& html) {
        return "From: Ohne Adresse <noreply@example.net>\nTo: mueller@dein.auto\nSubject: "
               "Anfrage\nMIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n" +
               html + "<p>Telefon: 0171 5550123</p>\n";
    };
    // Within the budget the number is read …
    CHECK(classify_text(mail("<p>Hallo</p>")).contact.phone == "+491715550123");
    // … beyond it, nothing past the first megabyte is looked at: no contact.
    auto flooded = classify_text(mail(markup));
    CHECK(flooded.kind == "unassignable");
    CHECK(flooded.reason == "no_contact");
}
