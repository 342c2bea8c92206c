#include "util/args.hpp"

#include <algorithm>

namespace lr::util {

std::optional<std::string> ParsedArgs::value(const std::string& name) const {
    auto it = values.find(name);
    if (it == values.end())
        return std::nullopt;
    return it->second;
}

Result<ParsedArgs> parse_args(const std::vector<std::string>& args,
                              const std::vector<OptionSpec>& specs) {
    ParsedArgs parsed;
    bool options_done = false;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (options_done || arg.size() < 3 || arg.compare(0, 2, "--") != 0) {
            if (arg == "--") {
                options_done = true;
                continue;
            }
            if (!options_done && arg.size() > 1 && arg[0] == '-')
                return make_error(ErrorCode::invalid_input, "unknown option " + arg);
            parsed.positional.push_back(arg);
            continue;
        }
        std::string name = arg.substr(2);
        std::optional<std::string> inline_value;
        if (size_t eq = name.find('='); eq != std::string::npos) {
            inline_value = name.substr(eq + 1);
            name = name.substr(0, eq);
        }
        auto spec = std::find_if(specs.begin(), specs.end(),
                                 [&](const OptionSpec& s) { return s.name == name; });
        if (spec == specs.end())
            return make_error(ErrorCode::invalid_input, "unknown option --" + name);
        if (!spec->takes_value) {
            if (inline_value)
                return make_error(ErrorCode::invalid_input, "--" + name + " takes no value");
            parsed.flags.insert(name);
            continue;
        }
        if (!inline_value) {
            if (i + 1 >= args.size())
                return make_error(ErrorCode::invalid_input, "--" + name + " needs a value");
            inline_value = args[++i];
        }
        parsed.values[name] = *inline_value;
    }
    return parsed;
}

ProgramArgs parse_program_args(const std::string& program, const std::string& synopsis,
                               const std::vector<std::string>& args,
                               const std::vector<OptionSpec>& specs, std::ostream& out,
                               std::ostream& err) {
    auto parsed = parse_args(args, specs);
    if (parsed && !parsed->has("help") && parsed->positional.empty())
        return {std::move(*parsed), 0};
    const bool help = parsed && parsed->has("help");
    (help ? out : err) << (parsed ? "" : program + ": " + parsed.error().message + "\n")
                       << "usage: " << synopsis << "\n\n"
                       << describe_options(specs);
    return {std::nullopt, help ? 0 : 2};
}

std::string describe_options(const std::vector<OptionSpec>& specs) {
    std::string out;
    for (const auto& spec : specs) {
        std::string left = "  --" + spec.name + (spec.takes_value ? " " + spec.value_name : "");
        if (left.size() < 28)
            left.resize(28, ' ');
        else
            left += "  ";
        out += left + spec.help + "\n";
    }
    return out;
}

} // namespace lr::util
