// Command-line options: --name value, --name=value, boolean --flag, and
// positional arguments. Unknown options are an error for the caller to turn
// into a usage message (exit 2).
#pragma once

#include "util/result.hpp"

#include <map>
#include <optional>
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

} // namespace lr::util
