#include "leadweb.hpp"

#include "action_site.hpp"
#include "config/loader.hpp"
#include "database_gauges.hpp"
#include "http/metrics_endpoint.hpp"
#include "log/log.hpp"
#include "util/args.hpp"
#include "web/key_ring.hpp"

#include <csignal>
#include <pthread.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

namespace lr::leadweb {

namespace {

const std::vector<util::OptionSpec> options = {
    {"config", true,
     "configuration file (default: $LEADROUTER_CONFIG or "
     "/etc/leadrouter/leadrouter.yaml)",
     "FILE"},
    {"database", true, "libpq conninfo instead of system.database", "CONNINFO"},
    {"listen", true, "host:port instead of system.web.listen (tests: 127.0.0.1:0)", "HOST:PORT"},
    {"check-config", false, "validate the configuration and the key file and exit"},
    {"help", false, "show this help"}};

// The configuration and the keys, or why not (printed by the caller).
struct Loaded {
    std::shared_ptr<const SiteSettings> settings;
    std::vector<std::string> problems;
};

Loaded load(const std::string& path) {
    Loaded result;
    auto loaded = config::load_config_file(path);
    for (const auto& diagnostic : loaded.diagnostics)
        if (diagnostic.severity == core::Severity::error || !loaded.config)
            result.problems.push_back(core::format_diagnostic(diagnostic));
    if (!loaded.config) {
        result.problems.push_back(path + ": configuration rejected");
        return result;
    }
    if (!loaded.config->system.web.public_url) {
        result.problems.push_back(path +
                                  ": system.web.public_url is not set: leadweb serves the links "
                                  "in notices and needs the address people reach it at");
        return result;
    }
    auto keys = web::read_key_ring(loaded.config->system.web.secret_file);
    if (!keys) {
        result.problems.push_back(keys.error().message);
        return result;
    }
    result.settings = std::make_shared<SiteSettings>(SiteSettings{loaded.config, std::move(*keys)});
    return result;
}

core::Instant system_now() {
    return date::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

} // namespace

int run_leadweb(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    auto program =
        util::parse_program_args("leadweb", "leadweb [OPTIONS]", args, options, out, err);
    if (!program.parsed)
        return program.exit_status;
    const auto* parsed = &*program.parsed;
    log::set_program("leadweb");
    const std::string path = config::config_path(parsed->value("config"));
    auto loaded = load(path);
    for (const auto& problem : loaded.problems)
        err << problem << "\n";
    if (!loaded.settings) {
        err << "leadweb: not started\n";
        return 1;
    }
    if (parsed->has("check-config")) {
        out << "configuration OK\n";
        return 0;
    }
    const auto& system = loaded.settings->config->system;
    if (geteuid() == 0)
        log::warning("leadweb runs as root; its unit runs it as leadrouter");

    // The signals go to this thread alone (sigwait below), not to the
    // server's threads, which inherit the mask.
    sigset_t signals;
    sigemptyset(&signals);
    for (int number : {SIGTERM, SIGINT, SIGHUP})
        sigaddset(&signals, number);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    store::set_notice_handler([](const std::string& severity, const std::string& message) {
        log::error("database " + severity + ": " + message);
    });
    // Prepared statements as the milter has them: off behind a PgBouncer
    // older than 1.21 in transaction pooling (system.milter.prepared_statements).
    store::ConnectionPool pool(parsed->value("database").value_or(system.database),
                               system.web.threads + 1, std::chrono::seconds(5),
                               system.milter_prepared_statements);
    ActionSite site(pool, loaded.settings, system_now);
    http::ServerLimits limits;
    limits.max_connections = system.web.max_connections;
    limits.request_timeout = system.web.request_timeout;
    limits.threads = system.web.threads;
    const std::string listen = parsed->value("listen").value_or(system.web.listen);
    auto server = http::HttpServer::start(
        listen, limits, [&site](const http::HttpRequest& request) { return site.handle(request); });
    if (!server) {
        err << "leadweb: " << server.error().message << "\n";
        return 1;
    }
    DatabaseGauges gauges(pool, metrics::process());
    auto metrics_endpoint =
        http::serve_metrics(system.metrics.leadweb, [&gauges] { gauges.refresh(); });
    if (!metrics_endpoint) {
        err << "leadweb: " << metrics_endpoint.error().message << "\n";
        return 1;
    }
    const std::string where =
        listen.substr(0, listen.rfind(':')) + ":" + std::to_string((*server)->port());
    log::info("listening", {{"LISTEN", where}, {"PUBLIC_URL", *system.web.public_url}});
    sd_notify(0, ("READY=1\nSTATUS=listening on " + where).c_str());

    for (;;) {
        int number = 0;
        if (sigwait(&signals, &number) != 0)
            continue;
        if (number != SIGHUP)
            break;
        sd_notify(0, "RELOADING=1\nSTATUS=reloading the configuration");
        auto again = load(path);
        if (again.settings) {
            site.replace_settings(again.settings);
            if (!parsed->value("database"))
                pool.set_conninfo(again.settings->config->system.database);
            log::info("configuration and keys reloaded", {{"CONFIG", path}});
        } else {
            for (const auto& problem : again.problems)
                log::error(problem);
            log::error("reload rejected; still running on the previous configuration and keys");
        }
        sd_notify(0, ("READY=1\nSTATUS=listening on " + where).c_str());
    }
    sd_notify(0, "STOPPING=1\nSTATUS=stopping");
    log::info("stopping");
    server->reset(); // requests in flight finish; then the threads end
    metrics_endpoint->reset();
    return 0;
}

} // namespace lr::leadweb
