// The monthly report's three charts (issue #18), drawn with cairo and
// pango onto any surface: as PNG for the mail's inline images, as vectors
// on the PDF's pages. Pure but for cairo: data in, drawing out.
//
//   reactions     how many answers took how long (business time), in
//                 steps of a quarter of level 1, against the level-1 line
//   weekly        leads per week (Monday to Sunday) stacked by source
//   salespeople   each salesperson's median reaction (business time)
#pragma once

#include <cairo.h>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace lr::report {

struct ChartData {
    std::vector<std::chrono::seconds> business_reactions;
    long long unanswered = 0;
    std::chrono::seconds level1{0};
    struct Week {
        std::string label; // "KW 45"
        std::map<std::string, long long> by_source;
    };
    std::vector<Week> weeks;
    struct Person {
        std::string name;
        std::optional<std::chrono::seconds> median;
        long long answered = 0;
    };
    std::vector<Person> salespeople;
};

enum class Chart { reactions, weekly, salespeople };

// The chart in the rectangle (x, y, width, height) of cr.
void draw_chart(cairo_t* cr, Chart chart, const ChartData& data, double x, double y, double width,
                double height);

inline constexpr int chart_png_width = 800;
inline constexpr int chart_png_height = 400;
// The chart as a PNG of chart_png_width × chart_png_height pixels.
std::string chart_png(Chart chart, const ChartData& data);

// The buckets of the reaction chart: upper bounds (the last is open), and
// how many reactions fall into each. Exposed for the tests.
struct Buckets {
    std::vector<std::chrono::seconds> upper; // bucket i: (upper[i-1], upper[i]]
    std::vector<long long> counts;           // one more than upper: "later"
};
Buckets reaction_buckets(const std::vector<std::chrono::seconds>& reactions,
                         std::chrono::seconds level1);

} // namespace lr::report
