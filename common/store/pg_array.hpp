// PostgreSQL array and bytea literals for parameters, so a whole batch travels in one
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

// A bytea parameter in hex form ("\\x4142").
std::string hex_bytes(std::string_view bytes);
// A bytea value as the server sends it in text form ("\\x4142").
std::string bytes_from_hex(std::string_view hex);

} // namespace lr::store
