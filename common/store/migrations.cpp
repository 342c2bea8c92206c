#include "store/migrations.hpp"

#include <algorithm>

namespace lr::store {

namespace sql {
extern const std::string_view migration_001_initial;
extern const std::string_view migration_002_lead_lifecycle;
extern const std::string_view migration_003_event_order_index;
extern const std::string_view migration_004_customer_message;
extern const std::string_view migration_005_outbox_lease;
extern const std::string_view migration_006_raw_lz4;
extern const std::string_view migration_007_write_once;
extern const std::string_view migration_008_outbox_lifetime;
extern const std::string_view migration_009_outbox_event_once;
extern const std::string_view migration_010_reply_keys;
extern const std::string_view migration_011_person_actions;
extern const std::string_view migration_012_lead_version;
extern const std::string_view migration_013_api_channel;
extern const std::string_view migration_014_privacy;
extern const std::string_view migration_015_reports;
} // namespace sql

namespace {

// Any constant shared by every leadrouter process; it only has to differ
// from other applications' advisory locks on the same database.
constexpr const char* migration_lock = "7283001";

} // namespace

const std::vector<Migration>& all_migrations() {
    static const std::vector<Migration> migrations = {
        {1, "initial", sql::migration_001_initial},
        {2, "lead_lifecycle", sql::migration_002_lead_lifecycle},
        {3, "event_order_index", sql::migration_003_event_order_index},
        {4, "customer_message", sql::migration_004_customer_message},
        {5, "outbox_lease", sql::migration_005_outbox_lease},
        {6, "raw_lz4", sql::migration_006_raw_lz4},
        {7, "write_once", sql::migration_007_write_once},
        {8, "outbox_lifetime", sql::migration_008_outbox_lifetime},
        {9, "outbox_event_once", sql::migration_009_outbox_event_once},
        {10, "reply_keys", sql::migration_010_reply_keys},
        {11, "person_actions", sql::migration_011_person_actions},
        {12, "lead_version", sql::migration_012_lead_version},
        {13, "api_channel", sql::migration_013_api_channel},
        {14, "privacy", sql::migration_014_privacy},
        {15, "reports", sql::migration_015_reports},
    };
    return migrations;
}

Result<int> schema_version(Connection& connection) {
    auto exists = connection.exec("SELECT to_regclass('schema_migrations') IS NOT NULL");
    if (!exists)
        return exists.error();
    if (!exists->boolean(0, 0))
        return 0;
    auto rows = connection.exec("SELECT coalesce(max(version), 0) FROM schema_migrations");
    if (!rows)
        return rows.error();
    return static_cast<int>(rows->integer(0, 0));
}

Result<MigrationReport> migrate(Connection& connection) {
    auto tx = Transaction::begin(connection);
    if (!tx)
        return tx.error();
    if (auto lock = connection.exec("SELECT pg_advisory_xact_lock($1::bigint)", {migration_lock});
        !lock)
        return lock.error();
    // Created only when missing: IF NOT EXISTS would make the server say
    // "already exists, skipping", and every server notice is logged.
    auto present = connection.exec("SELECT to_regclass('schema_migrations') IS NOT NULL");
    if (!present)
        return present.error();
    if (!present->boolean(0, 0))
        if (auto created = connection.exec("CREATE TABLE schema_migrations ("
                                           " version integer PRIMARY KEY,"
                                           " name text NOT NULL,"
                                           " applied_at timestamptz NOT NULL DEFAULT now())");
            !created)
            return created.error();
    auto current = schema_version(connection);
    if (!current)
        return current.error();

    MigrationReport report;
    report.version = *current;
    for (const auto& migration : all_migrations()) {
        if (migration.version <= *current)
            continue;
        if (auto applied = connection.exec_script(migration.sql); !applied)
            return make_error(ErrorCode::database,
                              "migration " + std::to_string(migration.version) + " (" +
                                  std::string(migration.name) + "): " + applied.error().message);
        if (auto recorded =
                connection.exec("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                                {std::to_string(migration.version), std::string(migration.name)});
            !recorded)
            return recorded.error();
        report.applied.push_back(migration.version);
        report.version = migration.version;
    }
    if (auto committed = tx->commit(); !committed)
        return committed.error();
    return report;
}

} // namespace lr::store
