#include "metrics/registry.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace lr::metrics {

namespace {

void add_to(std::atomic<double>& target, double amount) {
    double seen = target.load(std::memory_order_relaxed);
    while (!target.compare_exchange_weak(seen, seen + amount, std::memory_order_relaxed)) {
    }
}

std::string render_labels(const Labels& labels, const std::string& extra_name = {},
                          const std::string& extra_value = {}) {
    if (labels.empty() && extra_name.empty())
        return {};
    std::string out = "{";
    for (const auto& [name, value] : labels)
        out += (out.size() > 1 ? "," : "") + name + "=\"" + escape_label_value(value) + "\"";
    if (!extra_name.empty())
        out += (out.size() > 1 ? "," : "") + extra_name + "=\"" + extra_value + "\"";
    return out + "}";
}

const char* kind_name(Kind kind) {
    switch (kind) {
    case Kind::counter:
        return "counter";
    case Kind::gauge:
        return "gauge";
    case Kind::histogram:
        return "histogram";
    }
    return "untyped";
}

std::string escape_help(const std::string& help) {
    std::string out;
    for (char c : help)
        out += c == '\\' ? std::string("\\\\") : c == '\n' ? std::string("\\n") : std::string(1, c);
    return out;
}

} // namespace

void Counter::add(double amount) {
    if (amount > 0)
        add_to(m_value, amount);
}

Histogram::Histogram(std::vector<double> upper_bounds)
    : m_bounds(std::move(upper_bounds)),
      m_counts(new std::atomic<unsigned long long>[m_bounds.size() + 1]) {
    for (size_t i = 0; i <= m_bounds.size(); ++i)
        m_counts[i].store(0);
}

void Histogram::observe(double value) {
    size_t bucket = 0;
    while (bucket < m_bounds.size() && value > m_bounds[bucket])
        ++bucket;
    m_counts[bucket].fetch_add(1, std::memory_order_relaxed);
    add_to(m_sum, value);
}

Histogram::Snapshot Histogram::snapshot() const {
    Snapshot out{m_bounds, {}, m_sum.load(std::memory_order_relaxed)};
    unsigned long long running = 0;
    for (size_t i = 0; i <= m_bounds.size(); ++i) {
        running += m_counts[i].load(std::memory_order_relaxed);
        out.cumulative.push_back(running);
    }
    return out;
}

Registry::Series& Registry::series(const std::string& name, const std::string& help, Kind kind,
                                   const Labels& labels) {
    auto [family, added] = m_families.try_emplace(name, Family{kind, help, {}});
    if (!added && family->second.kind != kind)
        throw std::logic_error("metric " + name + " registered as " +
                               kind_name(family->second.kind) + " and as " + kind_name(kind));
    auto [series, fresh] = family->second.series.try_emplace(render_labels(labels));
    if (fresh)
        series->second.labels = labels;
    return series->second;
}

Counter& Registry::counter(const std::string& name, const std::string& help, const Labels& labels) {
    std::lock_guard lock(m_mutex);
    auto& found = series(name, help, Kind::counter, labels);
    if (!found.counter)
        found.counter = std::make_unique<Counter>();
    return *found.counter;
}

Gauge& Registry::gauge(const std::string& name, const std::string& help, const Labels& labels) {
    std::lock_guard lock(m_mutex);
    auto& found = series(name, help, Kind::gauge, labels);
    if (!found.gauge)
        found.gauge = std::make_unique<Gauge>();
    return *found.gauge;
}

Histogram& Registry::histogram(const std::string& name, const std::string& help,
                               const std::vector<double>& upper_bounds, const Labels& labels) {
    std::lock_guard lock(m_mutex);
    auto& found = series(name, help, Kind::histogram, labels);
    if (!found.histogram)
        found.histogram = std::make_unique<Histogram>(upper_bounds);
    return *found.histogram;
}

std::string Registry::render() const {
    std::lock_guard lock(m_mutex);
    std::string out;
    for (const auto& [name, family] : m_families) {
        out += "# HELP " + name + " " + escape_help(family.help) + "\n";
        out += "# TYPE " + name + " " + kind_name(family.kind) + "\n";
        for (const auto& [rendered, series] : family.series) {
            if (series.counter)
                out += name + rendered + " " + format_value(series.counter->value()) + "\n";
            else if (series.gauge)
                out += name + rendered + " " + format_value(series.gauge->value()) + "\n";
            else if (series.histogram) {
                const auto snapshot = series.histogram->snapshot();
                for (size_t i = 0; i <= snapshot.upper_bounds.size(); ++i)
                    out += name + "_bucket" +
                           render_labels(series.labels, "le",
                                         i < snapshot.upper_bounds.size()
                                             ? format_value(snapshot.upper_bounds[i])
                                             : "+Inf") +
                           " " + std::to_string(snapshot.cumulative[i]) + "\n";
                out += name + "_sum" + rendered + " " + format_value(snapshot.sum) + "\n";
                out += name + "_count" + rendered + " " +
                       std::to_string(snapshot.cumulative.back()) + "\n";
            }
        }
    }
    return out;
}

Registry& process() {
    static Registry registry;
    return registry;
}

std::string escape_label_value(const std::string& value) {
    std::string out;
    for (char c : value) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

std::string format_value(double value) {
    if (std::isnan(value))
        return "NaN";
    if (std::isinf(value))
        return value > 0 ? "+Inf" : "-Inf";
    if (value == std::floor(value) && std::fabs(value) < 1e15)
        return std::to_string(static_cast<long long>(value));
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.17g", value);
    // The shortest form that reads back the same.
    for (int precision = 1; precision <= 17; ++precision) {
        char shorter[32];
        std::snprintf(shorter, sizeof shorter, "%.*g", precision, value);
        if (std::strtod(shorter, nullptr) == value)
            return shorter;
    }
    return buffer;
}

const std::vector<double>& short_durations() {
    static const std::vector<double> bounds = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                               0.5,   1,      2.5,   5,    10,    30,   60};
    return bounds;
}

const std::vector<double>& long_durations() {
    static const std::vector<double> bounds = {1,   5,    15,   30,    60,    120,  300,
                                               600, 1800, 3600, 14400, 28800, 86400};
    return bounds;
}

} // namespace lr::metrics
