#include "test_database.hpp"

#include "pg_cluster.hpp"
#include "store/migrations.hpp"

#include <atomic>
#include <stdexcept>
#include <unistd.h>

namespace lr::test {

namespace {

store::Connection admin_connection() {
    auto connection = store::Connection::open(shared_cluster().conninfo("postgres"));
    if (!connection)
        throw std::runtime_error(connection.error().message);
    return std::move(connection).value();
}

} // namespace

TestDatabase::TestDatabase(bool migrated) {
    static std::atomic<int> counter{0};
    m_name = "test_" + std::to_string(getpid()) + "_" + std::to_string(counter++);
    auto admin = admin_connection();
    // Identifiers cannot be parameters; the name is ours, digits and '_'.
    if (auto created = admin.exec("CREATE DATABASE " + m_name); !created)
        throw std::runtime_error(created.error().message);
    m_conninfo = shared_cluster().conninfo(m_name);
    if (migrated) {
        auto connection = connect();
        if (auto report = store::migrate(connection); !report)
            throw std::runtime_error(report.error().message);
    }
}

TestDatabase::~TestDatabase() {
    try {
        auto admin = admin_connection();
        (void)admin.exec("DROP DATABASE IF EXISTS " + m_name + " WITH (FORCE)");
    } catch (...) {
        // The cluster is removed at the end of the run anyway.
    }
}

store::Connection TestDatabase::connect() const {
    auto connection = store::Connection::open(m_conninfo);
    if (!connection)
        throw std::runtime_error(connection.error().message);
    return std::move(connection).value();
}

store::Rows TestDatabase::exec(const std::string& sql,
                               const std::vector<store::Param>& params) const {
    auto connection = connect();
    auto rows = connection.exec(sql, params);
    if (!rows)
        throw std::runtime_error(rows.error().message);
    return std::move(rows).value();
}

std::string fixture_path(const std::string& relative) {
    return std::string(LEADROUTER_FIXTURES_DIR) + "/" + relative;
}

store::Rows query_at(const std::string& conninfo, const std::string& sql,
                     const std::vector<store::Param>& params) {
    auto connection = store::Connection::open(conninfo);
    if (!connection)
        throw std::runtime_error(connection.error().message);
    auto rows = connection->exec(sql, params);
    if (!rows)
        throw std::runtime_error(rows.error().message);
    return std::move(rows).value();
}

long long count_at(const std::string& conninfo, const std::string& sql) {
    return query_at(conninfo, sql).integer(0, 0);
}

} // namespace lr::test
