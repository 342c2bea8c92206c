#include "core/diagnostic.hpp"

#include <algorithm>

namespace lr::core {

std::string format_diagnostic(const Diagnostic& diagnostic) {
    std::string out;
    if (!diagnostic.pos.file.empty()) {
        out += diagnostic.pos.file;
        if (diagnostic.pos.line > 0)
            out += ":" + std::to_string(diagnostic.pos.line) + ":" +
                   std::to_string(diagnostic.pos.column);
        out += ": ";
    }
    out += diagnostic.severity == Severity::error ? "error: " : "warning: ";
    if (!diagnostic.key.empty())
        out += diagnostic.key + ": ";
    out += diagnostic.message;
    return out;
}

bool has_errors(const std::vector<Diagnostic>& diagnostics) {
    return std::any_of(diagnostics.begin(), diagnostics.end(),
                       [](const Diagnostic& d) { return d.severity == Severity::error; });
}

} // namespace lr::core
