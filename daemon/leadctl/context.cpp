#include "command.hpp"
#include "config/loader.hpp"

#include <cstdlib>
#include <ostream>

namespace lr::ctl {

std::vector<util::OptionSpec> common_options() {
    return {
        {"config", true,
         "configuration file (default: $LEADROUTER_CONFIG or "
         "/etc/leadrouter/leadrouter.yaml)",
         "FILE"},
        {"help", false, "show this help"},
    };
}

std::string Context::config_path() const {
    return config::config_path(args.value("config"));
}

std::shared_ptr<const core::Config> Context::load_config() const {
    auto loaded = config::load_config_file(config_path());
    if (!loaded.config) {
        for (const auto& diagnostic : loaded.diagnostics)
            if (diagnostic.severity == core::Severity::error)
                err << core::format_diagnostic(diagnostic) << "\n";
        err << "leadctl: the configuration is invalid (leadctl check --config " << config_path()
            << " lists every problem)\n";
    }
    return loaded.config;
}

std::optional<store::Connection> Context::open_database(const core::Config* config) const {
    std::string conninfo;
    if (auto value = args.value("database"))
        conninfo = *value;
    else if (config)
        conninfo = config->system.database;
    auto connection = store::Connection::open(conninfo);
    if (!connection) {
        err << "leadctl: " << connection.error().message << "\n";
        return std::nullopt;
    }
    return std::move(connection).value();
}

std::optional<DealerSession> Context::open_dealer(bool with_database) const {
    DealerSession session;
    session.config = load_config();
    if (!session.config)
        return std::nullopt;
    session.dealer = require_dealer(*session.config);
    if (!session.dealer)
        return std::nullopt;
    if (with_database) {
        session.connection = open_database(session.config.get());
        if (!session.connection)
            return std::nullopt;
    }
    return session;
}

std::optional<DealerSession> Context::open_session() const {
    DealerSession session;
    session.config = load_config();
    if (!session.config)
        return std::nullopt;
    session.connection = open_database(session.config.get());
    if (!session.connection)
        return std::nullopt;
    return session;
}

const core::Dealer* Context::require_dealer(const core::Config& config) const {
    auto id = args.value("dealer");
    if (!id) {
        err << "leadctl: --dealer is required\n";
        return nullptr;
    }
    const core::Dealer* dealer = config.find_dealer(*id);
    if (!dealer) {
        std::string known;
        for (const auto& candidate : config.dealers)
            known += (known.empty() ? "" : ", ") + candidate.id;
        err << "leadctl: no dealer \"" << *id << "\" in " << config_path() << " (known: " << known
            << ")\n";
    }
    return dealer;
}

} // namespace lr::ctl

namespace lr::ctl {

core::Instant Context::now() const {
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

} // namespace lr::ctl
