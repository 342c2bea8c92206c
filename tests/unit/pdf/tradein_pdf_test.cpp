// The trade-in PDF (SPEC §5.3): valid (qpdf --check), text extractable with
// umlauts (pdftotext), the Automanager link as a link annotation, long
// messages across pages, hostile values harmless.
#include "pdf/tradein_pdf.hpp"
#include "process.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

using namespace lr;

namespace {

pdf::TradeInSheet sample() {
    pdf::TradeInSheet sheet;
    sheet.lead_id = 4711;
    sheet.dealer_name = "Autohaus Müller GmbH";
    sheet.lead_url = "https://automanager.example/leads/4711";
    sheet.received = "04.12.2026, 15:00 Uhr";
    sheet.source = "website";
    sheet.customer_name = "Jörg Weiß-Krüger";
    sheet.email = "joerg@example.org";
    sheet.phone = "+4917612345678";
    sheet.make = "Opel";
    sheet.model = "Astra";
    sheet.first_registration = "2016-03";
    sheet.mileage_km = 98000;
    sheet.message = "Ich möchte meinen Astra in Zahlung geben. Größere Schäden gibt es keine.";
    return sheet;
}

struct Tool {
    int rc;
    std::string output;
};

// Writes the PDF, runs a tool on it (its output captured).
Tool run_on(const std::string& bytes, std::vector<std::string> argv, bool output_file = false) {
    auto dir = std::filesystem::temp_directory_path();
    auto pdf = (dir / ("leadrouter-pdf-" + std::to_string(getpid()) + ".pdf")).string();
    auto log = (dir / ("leadrouter-pdf-" + std::to_string(getpid()) + ".log")).string();
    auto out = (dir / ("leadrouter-pdf-" + std::to_string(getpid()) + ".txt")).string();
    std::ofstream(pdf, std::ios::binary) << bytes;
    std::filesystem::remove(log);
    argv.push_back(pdf);
    if (output_file)
        argv.push_back(out);
    int rc = test::run_program(argv, log);
    return {rc, test::read_text_file(output_file ? out : log)};
}

} // namespace

TEST_CASE("the trade-in PDF passes qpdf --check", "[pdf]") {
    auto bytes = pdf::render_tradein_pdf(sample());
    REQUIRE(bytes.rfind("%PDF-", 0) == 0);
    auto check = run_on(bytes, {"qpdf", "--check"});
    INFO(check.output);
    CHECK(check.rc == 0);
    CHECK(check.output.find("No syntax or stream encoding errors found") != std::string::npos);
}

TEST_CASE("the trade-in PDF's text has the umlauts, the mileage and the labels", "[pdf]") {
    auto text = run_on(pdf::render_tradein_pdf(sample()), {"pdftotext", "-enc", "UTF-8"}, true);
    REQUIRE(text.rc == 0);
    CHECK(text.output.find("Inzahlungnahme – Kerndaten") != std::string::npos);
    CHECK(text.output.find("Jörg Weiß-Krüger") != std::string::npos);
    CHECK(text.output.find("98.000 km") != std::string::npos);
    CHECK(text.output.find("Erstzulassung") != std::string::npos);
    CHECK(text.output.find("2016-03") != std::string::npos);
    CHECK(text.output.find("Größere Schäden") != std::string::npos);
}

TEST_CASE("every lead and contact reference is a link annotation to the Automanager", "[pdf]") {
    auto bytes = pdf::render_tradein_pdf(sample());
    auto dir = std::filesystem::temp_directory_path();
    auto in = (dir / ("leadrouter-link-" + std::to_string(getpid()) + ".pdf")).string();
    auto qdf = (dir / ("leadrouter-link-" + std::to_string(getpid()) + ".qdf")).string();
    std::ofstream(in, std::ios::binary) << bytes;
    REQUIRE(test::run_program({"qpdf", "--qdf", "--object-streams=disable", in, qdf}) == 0);
    auto uncompressed = test::read_text_file(qdf);
    size_t links = 0;
    for (size_t at = 0; (at = uncompressed.find("/URI (https://automanager.example/leads/4711)",
                                                at)) != std::string::npos;
         ++at)
        ++links;
    // The header note, the lead number, name, e-mail and phone.
    CHECK(links >= 5);
    CHECK(uncompressed.find("/Subtype /Link") != std::string::npos);
}

TEST_CASE("a very long message flows onto further pages", "[pdf]") {
    auto sheet = sample();
    sheet.message.clear();
    for (int i = 0; i < 400; ++i)
        sheet.message += "Zeile " + std::to_string(i) + ": Der Wagen hat Winterreifen. ";
    auto info = run_on(pdf::render_tradein_pdf(sheet), {"pdfinfo"});
    REQUIRE(info.rc == 0);
    auto pages = info.output.find("Pages:");
    REQUIRE(pages != std::string::npos);
    CHECK(std::stoi(info.output.substr(pages + 6)) >= 3);
    CHECK(run_on(pdf::render_tradein_pdf(sheet), {"qpdf", "--check"}).rc == 0);
}

TEST_CASE("CR/LF, control characters, PDF syntax and 10,000-character names stay harmless",
          "[pdf]") {
    auto sheet = sample();
    sheet.customer_name = std::string(10000, 'X') + "\r\n(Name) <</Type /Annot>> \\ endobj";
    sheet.message = "Zeile 1\r\nZeile 2\x01\x02 ) ( %%EOF";
    sheet.vin = "WVWZZZ1KZAW000001";
    auto bytes = pdf::render_tradein_pdf(sheet);
    auto check = run_on(bytes, {"qpdf", "--check"});
    INFO(check.output);
    CHECK(check.rc == 0);
    auto text = run_on(bytes, {"pdftotext", "-enc", "UTF-8"}, true);
    CHECK(text.output.find("<</Type /Annot>>") != std::string::npos); // shown as text
}

TEST_CASE("mileage in German notation", "[pdf]") {
    CHECK(pdf::format_mileage(98000) == "98.000 km");
    CHECK(pdf::format_mileage(1234567) == "1.234.567 km");
    CHECK(pdf::format_mileage(999) == "999 km");
    CHECK(pdf::format_mileage(0) == "0 km");
}
