#include "report/report_pdf.hpp"

#include "pdf/page_writer.hpp"
#include "report/monthly_report.hpp"

#include <cairo-pdf.h>

namespace lr::report {

namespace {

std::string share(long long part, long long whole) {
    std::string value = percent(part, whole);
    if (value == "-")
        return "–";
    for (char& c : value)
        if (c == '.')
            c = ',';
    return value + " %";
}

std::string reason_in_words(const std::string& reason) {
    static const std::pair<const char*, const char*> words[] = {
        {"bounce", "Unzustellbarkeitsnachrichten"},
        {"auto_reply", "Abwesenheitsnotizen / automatische Antworten"},
        {"bulk", "Massen- oder Listen-E-Mails"},
        {"spam", "Spam"},
        {"no_contact", "ohne Kontaktdaten"},
        {"unverified_sender", "Absender als Mitarbeiter ausgegeben, ohne Nachweis"}};
    for (const auto& [name, text] : words)
        if (reason == name)
            return text;
    return reason;
}

} // namespace

std::vector<std::pair<std::string, std::string>> key_figures(const Report& report) {
    const Figures& f = report.total;
    std::vector<std::pair<std::string, std::string>> lines = {
        {"Eingegangene Anfragen", std::to_string(f.received)},
        {"Beantwortet", std::to_string(f.answered) + " (" + share(f.answered, f.received) + ")"},
        {"Offen", std::to_string(f.open)},
        {"Reaktionszeit, Median (Geschäftszeit)", german_duration(f.business.median)},
        {"Reaktionszeit, 90 % (Geschäftszeit)", german_duration(f.business.p90)},
        {"Reaktionszeit, Median (Uhrzeit)", german_duration(f.wall.median)},
        {"Reaktionszeit, 90 % (Uhrzeit)", german_duration(f.wall.p90)},
    };
    if (f.has_reminder)
        lines.emplace_back("Vor der Erinnerung beantwortet", share(f.before_reminder, f.received));
    lines.emplace_back("Vor Eskalationsstufe 1 beantwortet", share(f.before_level1, f.received));
    lines.emplace_back("Vor Eskalationsstufe 2 beantwortet", share(f.before_level2, f.received));
    lines.emplace_back("Erinnerungen / Stufe 1 / Stufe 2",
                       std::to_string(f.reminders) + " / " + std::to_string(f.level1_mails) +
                           " / " + std::to_string(f.level2_mails));
    if (f.pool_leads > 0)
        lines.emplace_back("Pool-Anfragen (übernommen, Median bis zur Übernahme)",
                           std::to_string(f.pool_leads) + " (" + std::to_string(f.pool_claimed) +
                               ", " + german_duration(f.claim_business.median) + ")");
    if (f.resubmissions > 0)
        lines.emplace_back("Wiedervorlagen (eingehalten / eskaliert)",
                           std::to_string(f.resubmissions) + " (" +
                               std::to_string(f.resubmissions_kept) + " / " +
                               std::to_string(f.resubmissions_escalated) + ")");
    long long unassignable = 0;
    for (const auto& [reason, count] : report.unassignable)
        unassignable += count;
    lines.emplace_back("Nicht zugeordnete E-Mails", std::to_string(unassignable));
    for (const auto& [reason, count] : report.unassignable)
        lines.emplace_back("  davon " + reason_in_words(reason), std::to_string(count));
    return lines;
}

std::string report_pdf(const core::Dealer& dealer, const Report& report, const ChartData& charts,
                       date::year_month month) {
    std::string bytes;
    pdf::Surface surface(cairo_pdf_surface_create_for_stream(&pdf::append_to_string, &bytes,
                                                             pdf::page_width, pdf::page_height));
    const std::string title = "Monatsbericht " + month_name(month) + " – " + dealer.name;
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, title.c_str());
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "leadrouter");
    {
        pdf::Cairo cr(cairo_create(surface.get()));
        pdf::PageWriter writer(cr.get(), 300.0);
        writer.title("Monatsbericht " + month_name(month));
        writer.note(dealer.name + " · Reaktionszeiten auf Anfragen, gemessen vom Eingang bis zur "
                                  "ersten Reaktion");
        writer.heading("Kennzahlen");
        for (const auto& [label, value] : key_figures(report))
            writer.field(label, value);
        const double height = pdf::page_text_width / 2; // the charts' 2:1
        for (auto chart : {Chart::reactions, Chart::weekly, Chart::salespeople})
            writer.drawing(height, [&](cairo_t* c, double x, double y, double w, double h) {
                draw_chart(c, chart, charts, x, y, w, h);
            });
        writer.note("Geschäftszeit: nur die Öffnungszeiten des Autohauses zählen (ohne Sonn- und "
                    "Feiertage). Uhrzeit: die verstrichene Zeit.");
    }
    surface.reset();
    return pdf::rewritten_pdf(bytes, "monthly report");
}

} // namespace lr::report
