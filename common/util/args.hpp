// Command-line options: --name value, --name=value, boolean --flag, and
// positional arguments. Unknown options are an error for the caller to turn
// into a usage message (exit 2).
#pragma once

#include "util/result.hpp"

#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

namespace lr::util {

struct OptionSpec {
    std::string name; // without the leading dashes
    bool takes_value = false;
    std::string help;
    std::string value_name = "VALUE";
};

struct ParsedArgs {
    std::map<std::string, std::string> values;
    std::set<std::string> flags;
    std::vector<std::string> positional;

    bool has(const std::string& name) const { return flags.count(name) || values.count(name); }
    std::optional<std::string> value(const std::string& name) const;
};

Result<ParsedArgs> parse_args(const std::vector<std::string>& args,
                              const std::vector<OptionSpec>& specs);

// "  --name VALUE   help" lines for a usage text.
std::string describe_options(const std::vector<OptionSpec>& specs);

// How a daemon starts: its options parsed, or, after --help, a stray
// argument or an unknown option, the usage printed ("usage: " + synopsis)
// and the exit status to return (0 after --help, else 2).
struct ProgramArgs {
    std::optional<ParsedArgs> parsed;
    int exit_status = 0; // when parsed is empty
};
ProgramArgs parse_program_args(const std::string& program, const std::string& synopsis,
                               const std::vector<std::string>& args,
                               const std::vector<OptionSpec>& specs, std::ostream& out,
                               std::ostream& err);

} // namespace lr::util
