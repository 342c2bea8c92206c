#include "http/metrics_endpoint.hpp"

#include "log/log.hpp"

namespace lr::http {

HttpResponse metrics_response(const HttpRequest& request, metrics::Registry& registry,
                              const std::function<void()>& before_scrape) {
    HttpResponse response;
    response.content_type = "text/plain; charset=utf-8";
    response.headers = {{"Cache-Control", "no-store"}};
    if (request.path != "/metrics") {
        response.status = 404;
        response.body = "not found: metrics are at /metrics\n";
        return response;
    }
    if (request.method != "GET" && request.method != "HEAD") {
        response.status = 405;
        response.headers.emplace_back("Allow", "GET, HEAD");
        response.body = "GET /metrics\n";
        return response;
    }
    if (before_scrape)
        before_scrape();
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    response.body = registry.render();
    return response;
}

Result<std::unique_ptr<HttpServer>> start_metrics_endpoint(const std::string& listen,
                                                           metrics::Registry& registry,
                                                           std::function<void()> before_scrape) {
    ServerLimits limits;
    limits.max_connections = 8;
    limits.threads = 1;
    limits.max_body = 0;
    return HttpServer::start(
        listen, limits, [&registry, scrape = std::move(before_scrape)](const HttpRequest& request) {
            return metrics_response(request, registry, scrape);
        });
}

Result<std::unique_ptr<HttpServer>> serve_metrics(const std::optional<std::string>& listen,
                                                  std::function<void()> before_scrape) {
    if (!listen)
        return std::unique_ptr<HttpServer>();
    auto server = start_metrics_endpoint(*listen, metrics::process(), std::move(before_scrape));
    if (!server)
        return make_error(server.error().code, "system.metrics: " + server.error().message);
    log::info("metrics served", {{"LISTEN", listen->substr(0, listen->rfind(':')) + ":" +
                                                std::to_string((*server)->port()) + "/metrics"}});
    return server;
}

} // namespace lr::http
