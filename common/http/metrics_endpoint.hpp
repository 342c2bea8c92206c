// A process's Prometheus endpoint (issue #16): GET /metrics on a loopback
// address (system.metrics.<process>), served by one thread of its own, so
// a scrape never runs on the milter's or leadd's threads.
#pragma once

#include "http/http_server.hpp"
#include "metrics/registry.hpp"

#include <functional>
#include <optional>

namespace lr::http {

// before_scrape runs first on each scrape (leadweb reads its database
// gauges there); may be empty.
Result<std::unique_ptr<HttpServer>> start_metrics_endpoint(const std::string& listen,
                                                           metrics::Registry& registry,
                                                           std::function<void()> before_scrape);

// The endpoint of system.metrics.<process> when it is set (logged), none
// when it is not; an error when the address cannot be bound.
Result<std::unique_ptr<HttpServer>> serve_metrics(const std::optional<std::string>& listen,
                                                  std::function<void()> before_scrape = {});

// The answer to one request, without the server (for tests).
HttpResponse metrics_response(const HttpRequest& request, metrics::Registry& registry,
                              const std::function<void()>& before_scrape);

} // namespace lr::http
