// leadctl migrate: apply the pending schema migrations (idempotent).
#include "command.hpp"
#include "store/migrations.hpp"
#include "util/json.hpp"

#include <ostream>

namespace lr::ctl {

namespace {

int run_migrate(Context& ctx) {
    if (!ctx.args.positional.empty()) {
        ctx.err << "leadctl migrate: unexpected argument \"" << ctx.args.positional.front()
                << "\"\n";
        return exit_usage;
    }
    std::shared_ptr<const core::Config> config;
    if (!ctx.args.has("database")) {
        config = ctx.load_config();
        if (!config)
            return exit_failure;
    }
    auto connection = ctx.open_database(config.get());
    if (!connection)
        return exit_failure;
    auto report = store::migrate(*connection);
    if (!report) {
        ctx.err << "leadctl migrate: " << report.error().message
                << "\nleadctl migrate: nothing was changed\n";
        return exit_failure;
    }
    if (ctx.json()) {
        ctx.out << json_text(Json{{"applied", report->applied}, {"version", report->version}})
                << "\n";
        return exit_ok;
    }
    for (int version : report->applied)
        ctx.out << "applied migration " << version << "\n";
    ctx.out << "schema is at version " << report->version
            << (report->applied.empty() ? " (already up to date)" : "") << "\n";
    return exit_ok;
}

} // namespace

Command migrate_command() {
    return {"migrate",
            "apply pending database schema migrations",
            "[--config FILE | --database CONNINFO] [--json]",
            {{"database", true, "libpq conninfo (default: system.database)", "CONNINFO"},
             {"json", false, "print {applied, version} as JSON"}},
            run_migrate};
}

} // namespace lr::ctl
