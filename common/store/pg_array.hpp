// PostgreSQL array literals for parameters, so a whole batch travels in one
// parameterised statement (unnest($1::bigint[], $2::text[], ...)).
#pragma once

#include "store/pg.hpp"

#include <optional>
#include <string>
#include <vector>

namespace lr::store {

std::string array_literal(const std::vector<std::optional<std::string>>& values);
std::string array_literal(const std::vector<std::string>& values);
std::string array_literal(const std::vector<long long>& values);

} // namespace lr::store
