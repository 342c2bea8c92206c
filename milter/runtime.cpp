#include "runtime.hpp"

#include "config/loader.hpp"

namespace lr::milter {

Result<std::shared_ptr<const Runtime>> load_runtime(const std::string& path) {
    auto loaded = config::load_config_file(path);
    if (!loaded.config) {
        std::string problems;
        for (const auto& diagnostic : loaded.diagnostics)
            if (diagnostic.severity == core::Severity::error)
                problems += (problems.empty() ? "" : "; ") + core::format_diagnostic(diagnostic);
        return Error{ErrorCode::invalid_input, path + ": configuration rejected: " + problems};
    }
    return std::make_shared<const Runtime>(loaded.config);
}

} // namespace lr::milter
