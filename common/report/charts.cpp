#include "report/charts.hpp"

#include "pdf/cairo_handles.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace lr::report {

using std::chrono::seconds;

namespace {

constexpr int bucket_count = 12; // three times level 1 in quarters

struct Rgb {
    double r, g, b;
};
constexpr Rgb palette[] = {{0.04, 0.36, 0.68}, {0.93, 0.55, 0.13}, {0.20, 0.63, 0.36},
                           {0.75, 0.22, 0.24}, {0.50, 0.38, 0.70}, {0.55, 0.55, 0.55}};
constexpr Rgb in_time{0.04, 0.36, 0.68};
constexpr Rgb late{0.85, 0.33, 0.15};

void set(cairo_t* cr, Rgb colour) {
    cairo_set_source_rgb(cr, colour.r, colour.g, colour.b);
}

enum class Align { left, centre, right };

// Plain text (never markup) at (x, y) = its top, aligned on x.
double text(cairo_t* cr, const std::string& value, double x, double y, double size,
            Align align = Align::left, bool bold = false) {
    pdf::Layout layout(pango_cairo_create_layout(cr));
    char font[64];
    std::snprintf(font, sizeof font, "DejaVu Sans%s %.1fpx", bold ? " Bold" : "", size);
    pdf::Font description(pango_font_description_from_string(font));
    pango_layout_set_font_description(layout.get(), description.get());
    pango_layout_set_text(layout.get(), value.c_str(), -1);
    int width = 0, height = 0;
    pango_layout_get_pixel_size(layout.get(), &width, &height);
    double left = align == Align::left ? x : align == Align::centre ? x - width / 2.0 : x - width;
    cairo_move_to(cr, left, y);
    pango_cairo_show_layout(cr, layout.get());
    return width;
}

// "15 Min.", "2 Std.", "1 Std. 30"
std::string short_duration(seconds value) {
    long long minutes = (value.count() + 30) / 60;
    char out[32];
    if (minutes < 60)
        std::snprintf(out, sizeof out, "%lld Min.", minutes);
    else if (minutes % 60 == 0)
        std::snprintf(out, sizeof out, "%lld Std.", minutes / 60);
    else
        std::snprintf(out, sizeof out, "%lld:%02lld Std.", minutes / 60, minutes % 60);
    return out;
}

// A round step for an axis up to max with about five ticks.
long long tick_step(long long max) {
    for (long long magnitude = 1;; magnitude *= 10)
        for (long long factor : {1LL, 2LL, 5LL})
            if (max / (magnitude * factor) <= 5)
                return magnitude * factor;
}

struct Frame {
    double left, top, width, height; // the plot area
};

// Title, white background, the plot area with a vertical count axis.
Frame frame(cairo_t* cr, const std::string& title, double x, double y, double width, double height,
            double axis_width, long long max, double unit) {
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, x, y, width, height);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    text(cr, title, x + 8 * unit, y + 6 * unit, 15 * unit, Align::left, true);
    Frame plot{x + axis_width * unit, y + 34 * unit, width - (axis_width + 16) * unit,
               height - 70 * unit};
    if (max <= 0)
        return plot;
    const long long step = tick_step(max);
    cairo_set_line_width(cr, 0.6 * unit);
    for (long long tick = 0; tick <= max; tick += step) {
        double ty = plot.top + plot.height -
                    plot.height * static_cast<double>(tick) / static_cast<double>(max);
        cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
        cairo_move_to(cr, plot.left, ty);
        cairo_line_to(cr, plot.left + plot.width, ty);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
        text(cr, std::to_string(tick), plot.left - 6 * unit, ty - 7 * unit, 11 * unit,
             Align::right);
    }
    return plot;
}

long long nice_max(long long value) {
    if (value <= 0)
        return 1;
    long long step = tick_step(value);
    return (value + step - 1) / step * step;
}

void draw_reactions(cairo_t* cr, const ChartData& data, double x, double y, double width,
                    double height, double unit) {
    const Buckets buckets = reaction_buckets(data.business_reactions, data.level1);
    const long long max = nice_max(*std::max_element(buckets.counts.begin(), buckets.counts.end()));
    Frame plot = frame(cr, "Reaktionszeiten (Geschäftszeit) gegen Eskalationsstufe 1", x, y, width,
                       height, 44, max, unit);
    const double slot = plot.width / static_cast<double>(buckets.counts.size());
    for (size_t i = 0; i < buckets.counts.size(); ++i) {
        const double bar =
            plot.height * static_cast<double>(buckets.counts[i]) / static_cast<double>(max);
        set(cr, i < bucket_count / 3 ? in_time : late);
        cairo_rectangle(cr, plot.left + slot * static_cast<double>(i) + slot * 0.1,
                        plot.top + plot.height - bar, slot * 0.8, bar);
        cairo_fill(cr);
    }
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    for (size_t i = 0; i < buckets.upper.size(); i += 2)
        text(cr, short_duration(buckets.upper[i]), plot.left + slot * static_cast<double>(i + 1),
             plot.top + plot.height + 4 * unit, 10 * unit, Align::centre);
    text(cr, "später", plot.left + slot * (static_cast<double>(buckets.counts.size()) - 0.5),
         plot.top + plot.height + 4 * unit, 10 * unit, Align::centre);
    // The deadline the salespeople were given.
    const double deadline = plot.left + slot * (bucket_count / 3);
    cairo_set_source_rgb(cr, 0.75, 0.1, 0.1);
    cairo_set_line_width(cr, 1.5 * unit);
    const double dash[] = {5 * unit, 3 * unit};
    cairo_set_dash(cr, dash, 2, 0);
    cairo_move_to(cr, deadline, plot.top - 4 * unit);
    cairo_line_to(cr, deadline, plot.top + plot.height);
    cairo_stroke(cr);
    cairo_set_dash(cr, nullptr, 0, 0);
    text(cr, "Stufe 1: " + short_duration(data.level1), deadline + 4 * unit, plot.top - 2 * unit,
         11 * unit);
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    text(cr,
         "Beantwortet: " + std::to_string(data.business_reactions.size()) +
             " · unbeantwortet: " + std::to_string(data.unanswered),
         x + width - 8 * unit, y + height - 18 * unit, 11 * unit, Align::right);
}

void draw_weekly(cairo_t* cr, const ChartData& data, double x, double y, double width,
                 double height, double unit) {
    // Sources by volume; the sixth and later ones together.
    std::map<std::string, long long> totals;
    for (const auto& week : data.weeks)
        for (const auto& [source, count] : week.by_source)
            totals[source] += count;
    std::vector<std::pair<std::string, long long>> order(totals.begin(), totals.end());
    std::stable_sort(order.begin(), order.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    std::vector<std::string> sources;
    for (size_t i = 0; i < order.size() && i < 5; ++i)
        sources.push_back(order[i].first);
    const bool others = order.size() > 5;
    if (others)
        sources.push_back("andere");
    auto share_of = [&](const ChartData::Week& week, size_t s) {
        if (others && s == sources.size() - 1) {
            long long rest = 0;
            for (const auto& [source, count] : week.by_source)
                if (std::find(sources.begin(), sources.end() - 1, source) == sources.end() - 1)
                    rest += count;
            return rest;
        }
        auto found = week.by_source.find(sources[s]);
        return found == week.by_source.end() ? 0LL : found->second;
    };
    long long max = 0;
    for (const auto& week : data.weeks) {
        long long sum = 0;
        for (const auto& [source, count] : week.by_source)
            sum += count;
        max = std::max(max, sum);
    }
    max = nice_max(max);
    Frame plot = frame(cr, "Anfragen pro Woche nach Quelle", x, y, width, height, 44, max, unit);
    plot.width -= 120 * unit; // the legend
    const double slot = data.weeks.empty() ? plot.width : plot.width / data.weeks.size();
    for (size_t w = 0; w < data.weeks.size(); ++w) {
        double top = plot.top + plot.height;
        for (size_t s = 0; s < sources.size(); ++s) {
            const double bar = plot.height * static_cast<double>(share_of(data.weeks[w], s)) /
                               static_cast<double>(max);
            set(cr, palette[s % std::size(palette)]);
            cairo_rectangle(cr, plot.left + slot * static_cast<double>(w) + slot * 0.15, top - bar,
                            slot * 0.7, bar);
            cairo_fill(cr);
            top -= bar;
        }
        cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
        text(cr, data.weeks[w].label, plot.left + slot * (static_cast<double>(w) + 0.5),
             plot.top + plot.height + 4 * unit, 10 * unit, Align::centre);
    }
    for (size_t s = 0; s < sources.size(); ++s) {
        const double ly = plot.top + static_cast<double>(s) * 18 * unit;
        set(cr, palette[s % std::size(palette)]);
        cairo_rectangle(cr, plot.left + plot.width + 16 * unit, ly + 2 * unit, 10 * unit,
                        10 * unit);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        std::string name = sources[s].size() > 16 ? sources[s].substr(0, 15) + "…" : sources[s];
        text(cr, name, plot.left + plot.width + 30 * unit, ly, 10 * unit);
    }
}

void draw_salespeople(cairo_t* cr, const ChartData& data, double x, double y, double width,
                      double height, double unit) {
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, x, y, width, height);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    text(cr, "Median der Reaktionszeit je Verkäufer (Geschäftszeit)", x + 8 * unit, y + 6 * unit,
         15 * unit, Align::left, true);
    const double left = x + 150 * unit, top = y + 36 * unit;
    const double plot_width = width - 150 * unit - 90 * unit;
    const double plot_height = height - 56 * unit;
    seconds max = data.level1 * 2;
    for (const auto& person : data.salespeople)
        if (person.median)
            max = std::max(max, *person.median);
    const size_t rows = std::max<size_t>(data.salespeople.size(), 1);
    const double row = std::min(plot_height / static_cast<double>(rows), 44 * unit);
    for (size_t i = 0; i < data.salespeople.size(); ++i) {
        const auto& person = data.salespeople[i];
        const double ry = top + row * static_cast<double>(i);
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        std::string name = person.name.size() > 22 ? person.name.substr(0, 21) + "…" : person.name;
        text(cr, name, left - 8 * unit, ry + row * 0.5 - 7 * unit, 11 * unit, Align::right);
        if (!person.median) {
            text(cr, "keine Antwort", left + 4 * unit, ry + row * 0.5 - 7 * unit, 10 * unit);
            continue;
        }
        const double bar = plot_width * static_cast<double>(person.median->count()) /
                           static_cast<double>(max.count());
        set(cr, *person.median <= data.level1 ? in_time : late);
        cairo_rectangle(cr, left, ry + row * 0.15, bar, row * 0.7);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        text(cr, short_duration(*person.median) + " (" + std::to_string(person.answered) + ")",
             left + bar + 6 * unit, ry + row * 0.5 - 7 * unit, 10 * unit);
    }
    const double deadline = left + plot_width * static_cast<double>(data.level1.count()) /
                                       static_cast<double>(max.count());
    cairo_set_source_rgb(cr, 0.75, 0.1, 0.1);
    cairo_set_line_width(cr, 1.5 * unit);
    const double dash[] = {5 * unit, 3 * unit};
    cairo_set_dash(cr, dash, 2, 0);
    cairo_move_to(cr, deadline, top - 4 * unit);
    cairo_line_to(cr, deadline, top + row * static_cast<double>(rows));
    cairo_stroke(cr);
    cairo_set_dash(cr, nullptr, 0, 0);
    text(cr, "Stufe 1: " + short_duration(data.level1), deadline + 4 * unit,
         top + row * static_cast<double>(rows) + 2 * unit, 10 * unit);
}

} // namespace

Buckets reaction_buckets(const std::vector<seconds>& reactions, seconds level1) {
    Buckets out;
    const seconds width = std::max(seconds{60}, level1 / 4);
    for (int i = 1; i <= bucket_count; ++i)
        out.upper.push_back(width * i);
    out.counts.assign(bucket_count + 1, 0);
    for (auto reaction : reactions) {
        auto index = static_cast<size_t>(std::max(seconds{0}, reaction) / width);
        ++out.counts[std::min<size_t>(index, bucket_count)];
    }
    return out;
}

void draw_chart(cairo_t* cr, Chart chart, const ChartData& data, double x, double y, double width,
                double height) {
    // Sizes are designed for 800 × 400; a smaller area scales them.
    const double unit = std::min(width / chart_png_width, height / chart_png_height);
    switch (chart) {
    case Chart::reactions:
        return draw_reactions(cr, data, x, y, width, height, unit);
    case Chart::weekly:
        return draw_weekly(cr, data, x, y, width, height, unit);
    case Chart::salespeople:
        return draw_salespeople(cr, data, x, y, width, height, unit);
    }
}

std::string chart_png(Chart chart, const ChartData& data) {
    pdf::Surface surface(
        cairo_image_surface_create(CAIRO_FORMAT_RGB24, chart_png_width, chart_png_height));
    {
        pdf::Cairo cr(cairo_create(surface.get()));
        draw_chart(cr.get(), chart, data, 0, 0, chart_png_width, chart_png_height);
    }
    std::string png;
    cairo_surface_write_to_png_stream(surface.get(), &pdf::append_to_string, &png);
    return png;
}

} // namespace lr::report
