// The monthly report as a PDF (issue #18): the key figures on the first
// page, then the three charts as vectors. qpdf --check passes; the text is
// extractable with its umlauts.
#pragma once

#include "core/config.hpp"
#include "report/charts.hpp"
#include "report/figures.hpp"

#include <string>
#include <utility>
#include <vector>

namespace lr::report {

// The key figures as (label, value) lines, in German: the mail's text, the
// PDF's first page.
std::vector<std::pair<std::string, std::string>> key_figures(const Report& report);

std::string report_pdf(const core::Dealer& dealer, const Report& report, const ChartData& charts,
                       date::year_month month);

} // namespace lr::report
