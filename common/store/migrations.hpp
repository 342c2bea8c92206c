// Versioned schema migrations. Each one is an SQL file under migrations/,
// embedded at build time and applied at most once: `leadctl migrate` runs
// all pending ones in a single transaction under an advisory lock, so two
// concurrent runs cannot both apply one, and a failure leaves the schema as
// it was.
#pragma once

#include "store/pg.hpp"

#include <string_view>
#include <vector>

namespace lr::store {

struct Migration {
    int version;
    std::string_view name;
    std::string_view sql;
};

const std::vector<Migration>& all_migrations();

struct MigrationReport {
    std::vector<int> applied; // versions applied by this run
    int version = 0;          // schema version afterwards
};

Result<MigrationReport> migrate(Connection& connection);

// 0 for an empty database.
Result<int> schema_version(Connection& connection);

} // namespace lr::store
