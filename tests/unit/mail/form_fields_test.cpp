// lead-formats.md §3: "Label: value" lines of marketplace and website forms.
#include "mail/form_fields.hpp"

#include <catch2/catch.hpp>

using namespace lr::mail;

TEST_CASE("form fields: labels of the dictionary, any case, white space and colon ignored",
          "[form]") {
    auto fields = read_form_fields("Anrede: Frau\r\n"
                                   "  VORNAME :  Jana \r\n"
                                   "Nachname: Krüger\r\n"
                                   "E-Mail-Adresse: jana.krueger@example.org\r\n"
                                   "Mobil: 0176 12345678\r\n"
                                   "Inserat-ID: 412345678\r\n"
                                   "Fahrzeug: VW Golf 1.5 TSI\r\n");
    CHECK(fields.get(FormField::salutation) == "Frau");
    CHECK(fields.get(FormField::first_name) == "Jana");
    CHECK(fields.get(FormField::last_name) == "Krüger");
    CHECK(fields.get(FormField::email) == "jana.krueger@example.org");
    CHECK(fields.get(FormField::phone) == "0176 12345678");
    CHECK(fields.get(FormField::listing_id) == "412345678");
    CHECK(fields.get(FormField::vehicle) == "VW Golf 1.5 TSI");
    CHECK(fields.recognised_lines == 7);
}

TEST_CASE("form fields: a value on the next line when the label's line is empty", "[form]") {
    auto fields = read_form_fields("Telefon:\n\n040 1234567\nName: Tom Becker\n");
    CHECK(fields.get(FormField::phone) == "040 1234567");
    CHECK(fields.get(FormField::full_name) == "Tom Becker");
}

TEST_CASE("form fields: a value continues until the next label line, known or not, or an "
          "empty line",
          "[form]") {
    auto fields = read_form_fields("Fahrzeug: Volkswagen Golf\n"
                                   "  Variant Highline\n"
                                   "Preis: 21.990 EUR\n"
                                   "Modell: Golf\n"
                                   "Kilometerstand: 45.000 km\n"
                                   "\n"
                                   "Vielen Dank\n");
    CHECK(fields.get(FormField::vehicle) == "Volkswagen Golf Variant Highline");
    CHECK(fields.get(FormField::model) == "Golf");
    CHECK(fields.get(FormField::mileage) == "45.000 km"); // the empty line ended it
}

TEST_CASE("form fields: the message runs until the next known label, unknown ones included",
          "[form]") {
    auto fields = read_form_fields("Nachricht: Guten Tag,\n"
                                   "ist der Wagen noch da?\n"
                                   "\n"
                                   "Wichtig: bitte nur per Mail, ich komme um 10:30.\n"
                                   "E-Mail: a@example.org\n");
    CHECK(fields.get(FormField::message) ==
          "Guten Tag,\nist der Wagen noch da?\n\nWichtig: bitte nur per Mail, ich komme um "
          "10:30.");
    CHECK(fields.get(FormField::email) == "a@example.org");
}

TEST_CASE("form fields: times and URLs in a value are not labels", "[form]") {
    auto fields = read_form_fields("Fahrzeug: Opel Astra\n"
                                   "Besichtigung ab 10:30 Uhr\n"
                                   "https://www.mobile.de/12345\n"
                                   "Telefon: 0171 1\n");
    CHECK(fields.get(FormField::vehicle) ==
          "Opel Astra Besichtigung ab 10:30 Uhr https://www.mobile.de/12345");
}

TEST_CASE("form fields: a profile's aliases add labels", "[form]") {
    auto fields = read_form_fields(
        "Kundenname: Sabine Ott\nRückruf unter: 040 99\n",
        {{"Kundenname", FormField::full_name}, {"Rückruf unter", FormField::phone}});
    CHECK(fields.get(FormField::full_name) == "Sabine Ott");
    CHECK(fields.get(FormField::phone) == "040 99");
}

TEST_CASE("form fields: the first occurrence of a field wins, plain prose has none", "[form]") {
    auto fields = read_form_fields("E-Mail: first@example.org\nE-Mail: second@example.org\n");
    CHECK(fields.get(FormField::email) == "first@example.org");
    auto prose = read_form_fields("Hallo, ich interessiere mich für den Golf.\nGrüße\n");
    CHECK(prose.values.empty());
    CHECK(prose.recognised_lines == 0);
}
