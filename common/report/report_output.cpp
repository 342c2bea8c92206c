#include "report/report_output.hpp"

#include "util/table.hpp"

#include <cstdio>

namespace lr::report {

using std::chrono::seconds;

std::optional<Format> format_named(std::string_view name) {
    if (name == "table")
        return Format::table;
    if (name == "csv")
        return Format::csv;
    if (name == "json")
        return Format::json;
    return std::nullopt;
}

std::string duration_in(std::optional<seconds> duration, const DurationUnits& units) {
    if (!duration)
        return units.none;
    const long long minutes = (duration->count() + 30) / 60;
    char text[64];
    if (minutes < 60)
        std::snprintf(text, sizeof text, "%lld %s", minutes, units.minutes);
    else if (minutes < 24 * 60)
        std::snprintf(text, sizeof text, "%lld %s %02lld %s", minutes / 60, units.hours,
                      minutes % 60, units.minutes);
    else
        std::snprintf(text, sizeof text, "%lld %s %02lld %s", minutes / (24 * 60), units.days,
                      minutes / 60 % 24, units.hours);
    return text;
}

std::string duration_text(std::optional<seconds> duration) {
    return duration_in(duration, {"min", "h", "d", "-"});
}

namespace {

std::string date_text(date::local_days day) {
    return date::format("%F", day);
}

Json seconds_or_null(std::optional<seconds> value) {
    return value ? Json(value->count()) : Json(nullptr);
}

Json figures_json(const Figures& f) {
    auto share = [&](long long part) {
        return f.received ? Json(static_cast<double>(part) / static_cast<double>(f.received))
                          : Json(nullptr);
    };
    return Json{{"received", f.received},
                {"answered", f.answered},
                {"open", f.open},
                {"reaction_business_median_s", seconds_or_null(f.business.median)},
                {"reaction_business_p90_s", seconds_or_null(f.business.p90)},
                {"reaction_wall_median_s", seconds_or_null(f.wall.median)},
                {"reaction_wall_p90_s", seconds_or_null(f.wall.p90)},
                {"answered_before_reminder", f.before_reminder},
                {"answered_before_level1", f.before_level1},
                {"answered_before_level2", f.before_level2},
                {"share_before_reminder", share(f.before_reminder)},
                {"share_before_level1", share(f.before_level1)},
                {"share_before_level2", share(f.before_level2)},
                {"reminders", f.reminders},
                {"level1_mails", f.level1_mails},
                {"level2_mails", f.level2_mails},
                {"pool_leads", f.pool_leads},
                {"pool_claimed", f.pool_claimed},
                {"claim_business_median_s", seconds_or_null(f.claim_business.median)},
                {"claim_wall_median_s", seconds_or_null(f.claim_wall.median)},
                {"resubmissions", f.resubmissions},
                {"resubmissions_kept", f.resubmissions_kept},
                {"resubmissions_escalated", f.resubmissions_escalated}};
}

const std::vector<std::string> columns = {"received",
                                          "answered",
                                          "open",
                                          "median (business)",
                                          "p90 (business)",
                                          "median (clock)",
                                          "p90 (clock)",
                                          "before reminder %",
                                          "before level 1 %",
                                          "before level 2 %",
                                          "reminders",
                                          "level-1 mails",
                                          "level-2 mails",
                                          "pool leads",
                                          "claimed",
                                          "claim median (business)",
                                          "resubmissions",
                                          "kept",
                                          "escalated"};

std::vector<std::string> cells(const Figures& f, bool for_people) {
    auto duration = [&](std::optional<seconds> value) {
        if (for_people)
            return duration_text(value);
        return value ? std::to_string(value->count()) : std::string();
    };
    return {std::to_string(f.received),
            std::to_string(f.answered),
            std::to_string(f.open),
            duration(f.business.median),
            duration(f.business.p90),
            duration(f.wall.median),
            duration(f.wall.p90),
            percent(f.before_reminder, f.received),
            percent(f.before_level1, f.received),
            percent(f.before_level2, f.received),
            std::to_string(f.reminders),
            std::to_string(f.level1_mails),
            std::to_string(f.level2_mails),
            std::to_string(f.pool_leads),
            std::to_string(f.pool_claimed),
            duration(f.claim_business.median),
            std::to_string(f.resubmissions),
            std::to_string(f.resubmissions_kept),
            std::to_string(f.resubmissions_escalated)};
}

// RFC 4180 quoting; a text cell a spreadsheet would read as a formula
// (a source or user id starting with = + - @) is written as text.
std::string csv_cell(std::string value, bool text) {
    if (text && !value.empty() && std::string("=+-@\t\r").find(value.front()) != std::string::npos)
        value.insert(value.begin(), '\'');
    if (value.find_first_of(",\"\r\n") == std::string::npos)
        return value;
    std::string out = "\"";
    for (char c : value)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string render_table(const Report& report) {
    std::string out = "Report " + report.dealer_id + " " + date_text(report.from) + " – " +
                      date_text(report.to) + "\n\n";
    // Transposed: one row per figure, one column per group, so nineteen
    // figures stay readable on a terminal.
    std::vector<std::string> headers = {"figure"};
    std::vector<std::vector<std::string>> by_group;
    for (const auto& group : report.groups) {
        headers.push_back(group.group);
        by_group.push_back(cells(group, true));
    }
    headers.push_back("all");
    by_group.push_back(cells(report.total, true));
    std::vector<std::vector<std::string>> rows;
    for (size_t c = 0; c < columns.size(); ++c) {
        std::vector<std::string> row = {columns[c]};
        for (const auto& group : by_group)
            row.push_back(group[c]);
        rows.push_back(std::move(row));
    }
    out += util::render_table(headers, rows);
    out += "\nUnassignable mail by reason\n";
    std::vector<std::vector<std::string>> reasons;
    long long total = 0;
    for (const auto& [reason, count] : report.unassignable) {
        reasons.push_back({reason, std::to_string(count)});
        total += count;
    }
    reasons.push_back({"all", std::to_string(total)});
    out += util::render_table({"reason", "mails"}, reasons);
    return out;
}

std::string render_csv(const Report& report) {
    std::string out = csv_cell(dimension_name(report.by), false);
    for (const auto& column : columns)
        out += "," + csv_cell(column, false);
    out += "\r\n";
    auto line = [&](const std::string& group, const Figures& f) {
        out += csv_cell(group, true);
        for (const auto& cell : cells(f, false))
            out += "," + csv_cell(cell, false);
        out += "\r\n";
    };
    for (const auto& group : report.groups)
        line(group.group, group);
    line("all", report.total);
    return out;
}

} // namespace

Json report_json(const Report& report) {
    Json groups = Json::array();
    for (const auto& group : report.groups) {
        Json entry = {{"group", group.group}};
        entry.update(figures_json(group));
        groups.push_back(std::move(entry));
    }
    Json unassignable = Json::object();
    for (const auto& [reason, count] : report.unassignable)
        unassignable[reason] = count;
    return Json{{"dealer", report.dealer_id},
                {"from", date_text(report.from)},
                {"to", date_text(report.to)},
                {"by", dimension_name(report.by)},
                {"groups", std::move(groups)},
                {"total", figures_json(report.total)},
                {"unassignable", std::move(unassignable)}};
}

std::string render_report(const Report& report, Format format) {
    switch (format) {
    case Format::table:
        return render_table(report);
    case Format::csv:
        return render_csv(report);
    case Format::json:
        return json_text(report_json(report), 1) + "\n";
    }
    return {};
}

} // namespace lr::report
