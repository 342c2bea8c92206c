// Prometheus metrics of one process (issue #16): counters, gauges and
// histograms in families with fixed label names, rendered in the text
// exposition format (version 0.0.4).
//
// Registering takes a lock and is done once per label set (keep the
// reference); counting is a lock-free atomic add, so the milter's threads
// and leadd's event loop never wait for a scrape. Label values must come
// from bounded sets the code knows (a class, a kind, a cause): never an
// address, a lead or a dealer.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace lr::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
public:
    void add(double amount = 1);
    double value() const { return m_value.load(std::memory_order_relaxed); }

private:
    std::atomic<double> m_value{0};
};

class Gauge {
public:
    void set(double value) { m_value.store(value, std::memory_order_relaxed); }
    double value() const { return m_value.load(std::memory_order_relaxed); }

private:
    std::atomic<double> m_value{0};
};

class Histogram {
public:
    explicit Histogram(std::vector<double> upper_bounds);
    void observe(double value);

    struct Snapshot {
        std::vector<double> upper_bounds;
        std::vector<unsigned long long> cumulative; // per bound, then +Inf
        double sum = 0;
    };
    Snapshot snapshot() const;

private:
    std::vector<double> m_bounds;
    std::unique_ptr<std::atomic<unsigned long long>[]> m_counts; // bounds.size() + 1
    std::atomic<double> m_sum{0};
};

enum class Kind { counter, gauge, histogram };

class Registry {
public:
    // The same name with other labels adds a series to the family; the
    // same name and labels give the same object. A name registered as
    // another kind throws std::logic_error (a programming error).
    Counter& counter(const std::string& name, const std::string& help, const Labels& labels = {});
    Gauge& gauge(const std::string& name, const std::string& help, const Labels& labels = {});
    Histogram& histogram(const std::string& name, const std::string& help,
                         const std::vector<double>& upper_bounds, const Labels& labels = {});

    std::string render() const;

private:
    struct Series {
        Labels labels;
        std::unique_ptr<Counter> counter;
        std::unique_ptr<Gauge> gauge;
        std::unique_ptr<Histogram> histogram;
    };
    struct Family {
        Kind kind;
        std::string help;
        std::map<std::string, Series> series; // by rendered labels
    };
    Series& series(const std::string& name, const std::string& help, Kind kind,
                   const Labels& labels);

    mutable std::mutex m_mutex;
    std::map<std::string, Family> m_families;
};

// The process's registry: what its code counts, and what its endpoint
// serves.
Registry& process();

// A label value escaped for the text format (\\, \", \n).
std::string escape_label_value(const std::string& value);
// A number as the text format writes it (+Inf, -Inf, NaN, shortest form).
std::string format_value(double value);

// Bucket bounds in seconds, from a millisecond to a minute: the milter's
// time per message, a request's time.
const std::vector<double>& short_durations();
// From a second to a day: how long a lead waited for its assignment.
const std::vector<double>& long_durations();

} // namespace lr::metrics
