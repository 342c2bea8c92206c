#include "report/monthly_report.hpp"

#include "core/zoned_time.hpp"
#include "mail/header_value.hpp"
#include "report/report_output.hpp"
#include "report/report_pdf.hpp"

#include <algorithm>
#include <cstdio>

namespace lr::report {

using std::chrono::seconds;

std::string month_name(date::year_month month) {
    static const char* const names[] = {"Januar",    "Februar", "März",     "April",
                                        "Mai",       "Juni",    "Juli",     "August",
                                        "September", "Oktober", "November", "Dezember"};
    return std::string(names[static_cast<unsigned>(month.month()) - 1]) + " " +
           std::to_string(static_cast<int>(month.year()));
}

std::string german_duration(std::optional<seconds> duration) {
    return duration_in(duration, {"Min.", "Std.", "Tg.", "–"});
}

std::vector<std::string> report_recipients(const core::Dealer& dealer) {
    std::vector<std::string> out;
    auto add = [&](const std::string& address) {
        if (!address.empty() && std::find(out.begin(), out.end(), address) == out.end())
            out.push_back(address);
    };
    auto add_user = [&](const std::string& id) {
        if (const core::User* user = dealer.find_user(id))
            add(user->email);
    };
    if (!dealer.reports.recipients.empty()) {
        for (const auto& recipient : dealer.reports.recipients)
            recipient.find('@') == std::string::npos ? add_user(recipient) : add(recipient);
        return out;
    }
    for (const auto& user : dealer.users)
        if (user.supervisor)
            add_user(*user.supervisor);
    add_user(dealer.admin_user);
    return out;
}

namespace {

date::local_days local_day(core::Instant instant, const date::time_zone* zone) {
    return date::floor<date::days>(date::make_zoned(zone, instant).get_local_time());
}

std::string week_label(date::local_days monday) {
    // ISO 8601: the week belongs to the year of its Thursday.
    const date::year_month_day thursday{monday + date::days{3}};
    const date::local_days new_year{thursday.year() / date::January / 1};
    const auto week = (monday + date::days{3} - new_year).count() / 7 + 1;
    return "KW " + std::to_string(week);
}

date::local_days monday_of(date::local_days day) {
    return day - (date::weekday{day} - date::Monday);
}

} // namespace

ChartData chart_data(const core::Dealer& dealer, const Report& report,
                     const std::vector<LeadFacts>& leads) {
    ChartData data;
    data.business_reactions = report.total.business_reactions;
    data.unanswered = report.total.open;
    data.level1 = dealer.escalation.level1;
    for (auto monday = monday_of(report.from); monday <= report.to; monday += date::days{7})
        data.weeks.push_back({week_label(monday), {}});
    const auto first_monday = monday_of(report.from);
    for (const auto& lead : leads) {
        const auto week =
            (monday_of(local_day(lead.received, dealer.timezone)) - first_monday).count() / 7;
        if (week >= 0 && static_cast<size_t>(week) < data.weeks.size())
            ++data.weeks[static_cast<size_t>(week)].by_source[lead.source];
    }
    for (const auto& group : report.groups) {
        const core::User* user = dealer.find_user(group.group);
        if (!user || !user->assignable)
            continue; // not a salesperson: nobody yet, or the pool's account
        data.salespeople.push_back({user->name, group.business.median, group.answered});
    }
    std::sort(data.salespeople.begin(), data.salespeople.end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
    return data;
}

MonthlyReport monthly_report(const core::Dealer& dealer, const Report& report,
                             const std::vector<LeadFacts>& leads, date::year_month month) {
    MonthlyReport out;
    const std::string period = month_name(month);
    out.subject =
        mail::header_value("Monatsbericht " + period + ": Reaktionszeiten – " + dealer.name, 200);
    const ChartData data = chart_data(dealer, report, leads);
    const Figures& f = report.total;
    const std::string goal =
        "(Ziel: Eskalationsstufe 1 nach " + german_duration(dealer.escalation.level1) + ").";
    const std::string opening =
        f.received == 0   ? "Im " + period + " sind keine Anfragen eingegangen."
        : f.answered == 0 ? "Ihr Monatsbericht für " + period + ": " + std::to_string(f.received) +
                                " Anfragen, davon keine beantwortet " + goal
                          : "Ihr Monatsbericht für " + period + ": " + std::to_string(f.received) +
                                " Anfragen, davon " + std::to_string(f.answered) +
                                " beantwortet. Die Hälfte der Antworten kam innerhalb von " +
                                german_duration(f.business.median) + " Geschäftszeit " + goal;
    out.text = opening + "\n\n";
    out.html = "<p>" + mail::html_escape(opening) + "</p>\n<table>\n";
    for (const auto& [label, value] : key_figures(report)) {
        out.text += label + ": " + value + "\n";
        out.html += "<tr><th align=\"left\">" + mail::html_escape(label) + "</th><td>" +
                    mail::html_escape(value) + "</td></tr>\n";
    }
    out.html += "</table>\n";
    struct Named {
        Chart chart;
        const char* name;
        const char* alt;
    };
    const Named charts[] = {
        {Chart::reactions, "reactions", "Verteilung der Reaktionszeiten gegen Stufe 1"},
        {Chart::weekly, "weekly", "Anfragen pro Woche nach Quelle"},
        {Chart::salespeople, "salespeople", "Median der Reaktionszeit je Verkäufer"}};
    for (const auto& named : charts) {
        const std::string cid = std::string(named.name) + "." + dealer.id + "@leadrouter";
        out.charts.push_back(
            {cid, std::string(named.name) + ".png", "image/png", chart_png(named.chart, data)});
        out.html += "<p><img src=\"cid:" + mail::html_escape(cid) + "\" alt=\"" + named.alt +
                    "\" width=\"" + std::to_string(chart_png_width) + "\" height=\"" +
                    std::to_string(chart_png_height) + "\"></p>\n";
    }
    const std::string closing = "Die Diagramme und alle Kennzahlen stehen auch im angehängten "
                                "PDF. Geschäftszeit zählt nur die Öffnungszeiten.";
    out.text += "\n" + closing + "\n\n-- \n" + dealer.from_name + "\n";
    out.html += "<p>" + mail::html_escape(closing) + "</p>\n<p>-- <br>" +
                mail::html_escape(dealer.from_name) + "</p>\n";
    char file[64];
    std::snprintf(file, sizeof file, "Monatsbericht-%04d-%02u.pdf", static_cast<int>(month.year()),
                  static_cast<unsigned>(month.month()));
    out.pdf = {file, "application/pdf", report_pdf(dealer, report, data, month)};
    return out;
}

} // namespace lr::report
