#include "http/metrics_endpoint.hpp"
#include "metrics/registry.hpp"

#include <catch2/catch.hpp>
#include <thread>

using namespace lr::metrics;

TEST_CASE("metrics: counters, gauges and histograms render in the Prometheus text format",
          "[metrics]") {
    Registry registry;
    auto& lead = registry.counter("x_messages_total", "Messages", {{"class", "lead"}});
    registry.counter("x_messages_total", "Messages", {{"class", "reply"}});
    lead.add();
    lead.add(2);
    lead.add(-5); // a counter never goes down
    CHECK(&registry.counter("x_messages_total", "Messages", {{"class", "lead"}}) == &lead);
    registry.gauge("x_backlog", "Backlog").set(7.5);
    auto& histogram = registry.histogram("x_seconds", "Time", {0.1, 1});
    histogram.observe(0.05);
    histogram.observe(0.5);
    histogram.observe(3);
    CHECK(registry.render() == "# HELP x_backlog Backlog\n"
                               "# TYPE x_backlog gauge\n"
                               "x_backlog 7.5\n"
                               "# HELP x_messages_total Messages\n"
                               "# TYPE x_messages_total counter\n"
                               "x_messages_total{class=\"lead\"} 3\n"
                               "x_messages_total{class=\"reply\"} 0\n"
                               "# HELP x_seconds Time\n"
                               "# TYPE x_seconds histogram\n"
                               "x_seconds_bucket{le=\"0.1\"} 1\n"
                               "x_seconds_bucket{le=\"1\"} 2\n"
                               "x_seconds_bucket{le=\"+Inf\"} 3\n"
                               "x_seconds_sum 3.55\n"
                               "x_seconds_count 3\n");
    CHECK_THROWS_AS(registry.gauge("x_messages_total", "Messages"), std::logic_error);
}

TEST_CASE("metrics: a label value with quotes, backslashes and newlines is escaped", "[metrics]") {
    Registry registry;
    registry.counter("x_total", "X", {{"cause", "a\"b\\c\nd"}});
    CHECK(registry.render().find("x_total{cause=\"a\\\"b\\\\c\\nd\"} 0\n") != std::string::npos);
    CHECK(format_value(1.0 / 0.0) == "+Inf");
    CHECK(format_value(0.1) == "0.1");
}

TEST_CASE("metrics: counting from many threads loses nothing", "[metrics]") {
    Registry registry;
    auto& counter = registry.counter("x_total", "X");
    auto& histogram = registry.histogram("x_seconds", "X", short_durations());
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 10000; ++i) {
                counter.add();
                histogram.observe(0.002);
            }
        });
    for (auto& thread : threads)
        thread.join();
    CHECK(counter.value() == 40000);
    CHECK(histogram.snapshot().cumulative.back() == 40000);
}

TEST_CASE("metrics: the endpoint serves /metrics to GET and HEAD only", "[metrics]") {
    Registry registry;
    registry.gauge("x_up", "Up").set(1);
    int scrapes = 0;
    auto count = [&] { ++scrapes; };
    lr::http::HttpRequest request;
    request.method = "GET";
    request.path = "/metrics";
    auto ok = lr::http::metrics_response(request, registry, count);
    CHECK(ok.status == 200);
    CHECK(ok.body.find("x_up 1\n") != std::string::npos);
    CHECK(scrapes == 1);
    request.method = "POST";
    CHECK(lr::http::metrics_response(request, registry, count).status == 405);
    request.method = "GET";
    request.path = "/metrics/../etc";
    CHECK(lr::http::metrics_response(request, registry, count).status == 404);
    CHECK(scrapes == 1);
}
