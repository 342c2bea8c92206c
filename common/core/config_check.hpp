// The rules of SPEC §9 on a parsed configuration: cross-references and
// combinations are errors; the seed's advice are warnings. Pure: the
// positions come from the config's SourceMap.
#pragma once

#include "core/config.hpp"
#include "core/diagnostic.hpp"

#include <vector>

namespace lr::core {

std::vector<Diagnostic> check_config(const Config& config);

} // namespace lr::core
