// leadctl check: every configuration error and the seed's warnings (SPEC §9)
// in one run, "configuration OK" when there is nothing to say.
#include "command.hpp"
#include "config/loader.hpp"
#include "util/json.hpp"
#include "util/strings.hpp"

#include <ostream>

namespace lr::ctl {

namespace {

Json diagnostic_json(const core::Diagnostic& d) {
    return Json{{"file", d.pos.file},
                {"line", d.pos.line},
                {"column", d.pos.column},
                {"key", d.key},
                {"message", d.message}};
}

int run_check(Context& ctx) {
    if (!ctx.args.positional.empty()) {
        ctx.err << "leadctl check: unexpected argument \"" << ctx.args.positional.front() << "\"\n";
        return exit_usage;
    }
    auto loaded = config::load_config_file(ctx.config_path());
    size_t errors = 0;
    size_t warnings = 0;
    for (const auto& diagnostic : loaded.diagnostics)
        (diagnostic.severity == core::Severity::error ? errors : warnings)++;
    const bool strict = ctx.args.has("strict");
    const int status = errors > 0 || (strict && warnings > 0) ? exit_failure : exit_ok;

    if (ctx.json()) {
        Json error_items = Json::array();
        Json warning_items = Json::array();
        for (const auto& d : loaded.diagnostics)
            (d.severity == core::Severity::error ? error_items : warning_items)
                .push_back(diagnostic_json(d));
        ctx.out << json_text(Json{{"ok", status == exit_ok},
                                  {"errors", std::move(error_items)},
                                  {"warnings", std::move(warning_items)}})
                << "\n";
        return status;
    }

    for (const auto& diagnostic : loaded.diagnostics)
        ctx.out << core::format_diagnostic(diagnostic) << "\n";
    if (errors > 0)
        ctx.out << ctx.config_path() << ": " << errors << " error(s), " << warnings
                << " warning(s): configuration rejected\n";
    else if (warnings > 0)
        ctx.out << "configuration OK, " << warnings << " warning(s)"
                << (strict ? " (rejected by --strict)" : "") << "\n";
    else
        ctx.out << "configuration OK\n";
    return status;
}

} // namespace

Command check_command() {
    return {"check",
            "validate the configuration: every error and the seed's warnings",
            "[--config FILE] [--strict] [--json]",
            {{"strict", false, "treat warnings as errors (exit 1)"},
             {"json", false, "print {ok, errors, warnings} as JSON"}},
            run_check};
}

} // namespace lr::ctl
