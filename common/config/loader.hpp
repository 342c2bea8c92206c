// Loading the configuration: the system file, plus one dealer per *.yaml in
// dealers_dir. The result is a validated, immutable Config or no Config and
// the list of every problem found; an invalid file never half-applies.
#pragma once

#include "core/config.hpp"
#include "core/diagnostic.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lr::config {

struct LoadResult {
    std::shared_ptr<const core::Config> config; // null when there are errors
    std::vector<core::Diagnostic> diagnostics;  // errors and warnings, in file order
};

LoadResult load_config_file(const std::string& path);

// The configuration file to use: the one given, else $LEADROUTER_CONFIG,
// else /etc/leadrouter/leadrouter.yaml.
std::string config_path(const std::optional<std::string>& given);

// The same from text; file_name is used in messages. dealers_dir, if set,
// is resolved against base_dir.
LoadResult load_config_text(std::string_view text, const std::string& file_name,
                            const std::string& base_dir = ".");

} // namespace lr::config
