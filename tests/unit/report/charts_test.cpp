// The report's charts and PDF (issue #18): PNGs of the promised size that
// decode and are not blank, also for an empty month and for a stranger's
// source names; a PDF that passes qpdf --check and shows the figures with
// their umlauts; the mail's parts.
#include "config/loader.hpp"
#include "mail/compose.hpp"
#include "pdf/cairo_handles.hpp"
#include "process.hpp"
#include "report/charts.hpp"
#include "report/monthly_report.hpp"
#include "report/report_pdf.hpp"

#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <unistd.h>

using namespace lr;
using namespace std::chrono_literals;

namespace {

struct Decoded {
    int width = 0, height = 0;
    size_t colours = 0;
};

// Decodes a PNG with cairo's reader (libpng), as a mail client would.
Decoded decode(const std::string& png) {
    struct Reader {
        const std::string& bytes;
        size_t at = 0;
    } reader{png};
    pdf::Surface surface(cairo_image_surface_create_from_png_stream(
        [](void* closure, unsigned char* data, unsigned int length) {
            auto* r = static_cast<Reader*>(closure);
            if (r->at + length > r->bytes.size())
                return CAIRO_STATUS_READ_ERROR;
            std::memcpy(data, r->bytes.data() + r->at, length);
            r->at += length;
            return CAIRO_STATUS_SUCCESS;
        },
        &reader));
    REQUIRE(cairo_surface_status(surface.get()) == CAIRO_STATUS_SUCCESS);
    Decoded out;
    out.width = cairo_image_surface_get_width(surface.get());
    out.height = cairo_image_surface_get_height(surface.get());
    const int stride = cairo_image_surface_get_stride(surface.get());
    const unsigned char* data = cairo_image_surface_get_data(surface.get());
    std::set<uint32_t> colours;
    for (int y = 0; y < out.height; y += 3)
        for (int x = 0; x < out.width; x += 3) {
            uint32_t pixel;
            std::memcpy(&pixel, data + y * stride + x * 4, 4);
            colours.insert(pixel & 0xFFFFFF);
        }
    out.colours = colours.size();
    return out;
}

report::ChartData sample() {
    report::ChartData data;
    data.level1 = 2h;
    for (int i = 0; i < 40; ++i)
        data.business_reactions.push_back(std::chrono::minutes(i * 11));
    data.unanswered = 3;
    data.weeks = {{"KW 40", {{"mobile.de", 4}, {"website", 2}}},
                  {"KW 41", {{"mobile.de", 6}, {"autoscout24", 1}}}};
    data.salespeople = {
        {"Anna Schmidt", 40min, 12}, {"Deniz Yılmaz", 150min, 9}, {"Jonas Weber", std::nullopt, 0}};
    return data;
}

std::shared_ptr<const core::Config> example() {
    auto loaded =
        config::load_config_file(std::string(LEADROUTER_SPEC_DIR) + "/config-example.yaml");
    REQUIRE(loaded.config);
    return loaded.config;
}

report::Report october() {
    report::Report report;
    report.from = date::local_days{date::year{2026} / 10 / 1};
    report.to = date::local_days{date::year{2026} / 10 / 31};
    return report;
}

std::string write_temp(const std::string& bytes, const std::string& name) {
    const auto path =
        std::filesystem::temp_directory_path() / (name + "-" + std::to_string(getpid()));
    std::ofstream(path, std::ios::binary) << bytes;
    return path.string();
}

} // namespace

TEST_CASE("each chart is an 800 x 400 PNG that decodes and shows more than a background",
          "[report][pdf]") {
    for (auto chart :
         {report::Chart::reactions, report::Chart::weekly, report::Chart::salespeople}) {
        const auto png = report::chart_png(chart, sample());
        REQUIRE(png.rfind("\x89PNG\r\n\x1a\n", 0) == 0);
        const auto decoded = decode(png);
        CHECK(decoded.width == report::chart_png_width);
        CHECK(decoded.height == report::chart_png_height);
        CHECK(decoded.colours > 5);
    }
}

TEST_CASE("an empty month and a stranger's source names still draw: markup stays text, long "
          "names are cut, the sixth source and later are one",
          "[report][pdf]") {
    report::ChartData empty;
    empty.level1 = 2h;
    for (auto chart : {report::Chart::reactions, report::Chart::weekly, report::Chart::salespeople})
        CHECK(decode(report::chart_png(chart, empty)).width == report::chart_png_width);

    report::ChartData hostile = sample();
    hostile.weeks.push_back({"KW 42", {}});
    for (int i = 0; i < 300; ++i)
        hostile.weeks.back()
            .by_source["<span size='900000'>&amp;" + std::string(500, 'x') + std::to_string(i)] = i;
    hostile.salespeople.push_back({std::string(10000, 'Z'), 1h, 1});
    hostile.business_reactions.push_back(std::chrono::hours(24 * 365 * 10));
    for (auto chart :
         {report::Chart::reactions, report::Chart::weekly, report::Chart::salespeople}) {
        const auto decoded = decode(report::chart_png(chart, hostile));
        CHECK(decoded.width == report::chart_png_width);
        CHECK(decoded.height == report::chart_png_height);
    }
}

TEST_CASE("the report PDF passes qpdf --check and pdftotext shows its figures with umlauts",
          "[report][pdf]") {
    const auto config = example();
    const auto& dealer = *config->find_dealer("mueller");
    report::Report report = october();
    report.total.received = 120;
    report.total.answered = 100;
    report.total.open = 20;
    report.total.before_level1 = 90;
    report.total.has_reminder = true;
    report.total.business.median = 75min;
    report.unassignable = {{"auto_reply", 4}};
    const auto bytes =
        report::report_pdf(dealer, report, sample(), date::year{2026} / date::October);
    const auto path = write_temp(bytes, "report.pdf");
    const auto log = path + ".log";
    CHECK(test::run_program({"qpdf", "--check", path}, log) == 0);
    CHECK(test::run_program({"pdftotext", "-enc", "UTF-8", path, path + ".txt"}, log) == 0);
    const std::string text = test::read_text_file(path + ".txt");
    CHECK(text.find("Monatsbericht Oktober 2026") != std::string::npos);
    CHECK(text.find("Autohaus Müller GmbH") != std::string::npos);
    CHECK(text.find("Reaktionszeit, Median (Geschäftszeit)") != std::string::npos);
    CHECK(text.find("1 Std. 15 Min.") != std::string::npos);
    CHECK(text.find("75,0 %") != std::string::npos);
    CHECK(text.find("davon Abwesenheitsnotizen") != std::string::npos);
    CHECK(text.find("Median der Reaktionszeit je Verkäufer") != std::string::npos);
    CHECK(text.find("Deniz Yılmaz") != std::string::npos);
    for (const auto& file : {path, log, path + ".txt"})
        std::filesystem::remove(file);
}

TEST_CASE("the monthly report mail: the key figures as text, three inline charts the HTML shows "
          "by cid, the PDF attached, recipients by default the supervisors and the admin",
          "[report]") {
    const auto config = example();
    const auto& dealer = *config->find_dealer("mueller");
    report::Report report = october();
    report.total.received = 3;
    report.total.answered = 2;
    report.total.business.median = 30min;
    auto parts = report::monthly_report(dealer, report, {}, date::year{2026} / date::October);
    CHECK(parts.subject == "Monatsbericht Oktober 2026: Reaktionszeiten – Autohaus Müller GmbH");
    CHECK(parts.text.find("Ihr Monatsbericht für Oktober 2026: 3 Anfragen, davon 2 beantwortet.") !=
          std::string::npos);
    CHECK(parts.text.find("Eingegangene Anfragen: 3") != std::string::npos);
    REQUIRE(parts.charts.size() == 3);
    for (const auto& chart : parts.charts)
        CHECK(parts.html.find("cid:" + chart.content_id) != std::string::npos);
    CHECK(parts.pdf.filename == "Monatsbericht-2026-10.pdf");
    // A month without answers, and one without leads, say so in words.
    report.total.answered = 0;
    report.total.business.median.reset();
    CHECK(report::monthly_report(dealer, report, {}, date::year{2026} / date::October)
              .text.rfind("Ihr Monatsbericht für Oktober 2026: 3 Anfragen, davon keine "
                          "beantwortet (Ziel: Eskalationsstufe 1 nach 2 Std. 00 Min.).",
                          0) == 0);
    CHECK(report::monthly_report(dealer, october(), {}, date::year{2026} / date::October)
              .text.rfind("Im Oktober 2026 sind keine Anfragen eingegangen.", 0) == 0);

    mail::OutgoingMail mail;
    mail.from_address = "mueller@dein.auto";
    mail.to = {"p.mayer@autohaus-mueller.example"};
    mail.subject = parts.subject;
    mail.message_id = "report.1@dein.auto";
    mail.text = parts.text;
    mail.html = parts.html;
    mail.inline_images = parts.charts;
    mail.attachments.push_back(parts.pdf);
    const std::string composed = mail::compose(mail);
    CHECK(composed.find("multipart/mixed") != std::string::npos);
    CHECK(composed.find("multipart/related") != std::string::npos);
    CHECK(composed.find("type=\"multipart/alternative\"") != std::string::npos);
    CHECK(composed.find("Content-Id: <" + parts.charts[0].content_id + ">") != std::string::npos);
    CHECK(composed.find("Content-Disposition: inline") != std::string::npos);
    CHECK(composed.find("application/pdf") != std::string::npos);

    CHECK(report::report_recipients(dealer) ==
          std::vector<std::string>{"p.mayer@autohaus-mueller.example",
                                   "admin@autohaus-mueller.example"});
    core::Dealer listed = dealer;
    listed.reports.recipients = {"weber", "chef@autohaus-mueller.example", "weber", "gone"};
    CHECK(report::report_recipients(listed) ==
          std::vector<std::string>{"j.weber@autohaus-mueller.example",
                                   "chef@autohaus-mueller.example"});
}
