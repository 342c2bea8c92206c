// A finding about the configuration: where (file:line:column), which key,
// what is wrong. Errors reject the configuration; warnings are the seed's
// advice (SPEC §9) and never stop a program.
#pragma once

#include <string>
#include <vector>

namespace lr::core {

struct SourcePos {
    std::string file;
    int line = 0;   // 1-based; 0 when unknown
    int column = 0; // 1-based; 0 when unknown
};

enum class Severity { error, warning };

struct Diagnostic {
    Severity severity = Severity::error;
    SourcePos pos;
    std::string key; // dealers[mueller].escalation.level1
    std::string message;
};

// "file:line:column: error: key: message", the way compilers write it.
std::string format_diagnostic(const Diagnostic& diagnostic);
bool has_errors(const std::vector<Diagnostic>& diagnostics);

} // namespace lr::core
