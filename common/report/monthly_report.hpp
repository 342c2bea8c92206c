// The monthly report mail (issue #18): a short German text with the key
// figures, the three charts as inline PNG and the same as a PDF
// attachment. Pure: the month's figures and facts in, the mail's parts out.
#pragma once

#include "core/config.hpp"
#include "mail/compose.hpp"
#include "report/charts.hpp"
#include "report/figures.hpp"

#include <string>
#include <vector>

namespace lr::report {

struct MonthlyReport {
    std::string subject;
    std::string text;
    std::string html;
    std::vector<mail::InlineImage> charts; // reactions.png, weekly.png, salespeople.png
    mail::Attachment pdf;
};

// report: the month computed by user (the salespeople's chart); leads: its
// facts (the weekly chart).
MonthlyReport monthly_report(const core::Dealer& dealer, const Report& report,
                             const std::vector<LeadFacts>& leads, date::year_month month);

// The charts' data from the figures and facts.
ChartData chart_data(const core::Dealer& dealer, const Report& report,
                     const std::vector<LeadFacts>& leads);

// "November 2026"
std::string month_name(date::year_month month);
// "1 Std. 05 Min.", "45 Min.", "2 Tg. 03 Std."; "–" for none.
std::string german_duration(std::optional<std::chrono::seconds> duration);

// Who gets the month's report: reports.recipients, else every supervisor
// named by a user and the admin user; addresses, each once.
std::vector<std::string> report_recipients(const core::Dealer& dealer);

} // namespace lr::report
