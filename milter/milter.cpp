#include "milter.hpp"

#include "config/loader.hpp"
#include "util/args.hpp"

#include <cstdlib>
#include <ostream>

namespace lr::milter {

int run_leadmilter(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    const std::vector<util::OptionSpec> options = {
        {"config", true, "configuration file", "FILE"},
        {"check-config", false, "validate the configuration and exit"},
        {"help", false, "show this help"}};
    auto parsed = util::parse_args(args, options);
    if (!parsed || parsed->has("help") || !parsed->positional.empty()) {
        (parsed && parsed->has("help") ? out : err)
            << (parsed ? "" : "leadmilter: " + parsed.error().message + "\n")
            << "usage: leadmilter [--config FILE] [--check-config]\n\n"
            << util::describe_options(options);
        return parsed && parsed->has("help") ? 0 : 2;
    }
    const std::string path = config::config_path(parsed->value("config"));
    auto loaded = config::load_config_file(path);
    for (const auto& diagnostic : loaded.diagnostics)
        err << core::format_diagnostic(diagnostic) << "\n";
    if (!loaded.config) {
        err << "leadmilter: " << path << ": configuration rejected\n";
        return 1;
    }
    if (parsed->has("check-config")) {
        out << "configuration OK\n";
        return 0;
    }
    err << "leadmilter: the milter is not built yet (issue #3); nothing to run\n";
    return 1;
}

} // namespace lr::milter
