// The report as leadctl prints it (issue #18): a table for people, CSV for
// spreadsheets, JSON for programs. The same columns in all three.
#pragma once

#include "report/figures.hpp"
#include "util/json.hpp"

#include <string>

namespace lr::report {

enum class Format { table, csv, json };
std::optional<Format> format_named(std::string_view name);

std::string render_report(const Report& report, Format format);
Json report_json(const Report& report);

// A duration in minutes, hours and minutes, or days and hours, in units of
// one language.
struct DurationUnits {
    const char* minutes;
    const char* hours;
    const char* days;
    const char* none;
};
std::string duration_in(std::optional<std::chrono::seconds> duration, const DurationUnits& units);
// "45 min", "3 h 05 min", "2 d 03 h"; "-" for none.
std::string duration_text(std::optional<std::chrono::seconds> duration);

} // namespace lr::report
