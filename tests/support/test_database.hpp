// A fresh, migrated database for one test, dropped when the test ends.
#pragma once

#include "store/pg.hpp"

#include <string>

namespace lr::test {

class TestDatabase {
public:
    // migrated=false gives an empty database (for the migration tests).
    explicit TestDatabase(bool migrated = true);
    TestDatabase(const TestDatabase&) = delete;
    TestDatabase& operator=(const TestDatabase&) = delete;
    ~TestDatabase();

    const std::string& conninfo() const { return m_conninfo; }
    const std::string& name() const { return m_name; } // in the shared cluster
    store::Connection connect() const;                 // fails the test when it cannot
    // Runs a statement that must succeed (test set-up).
    store::Rows exec(const std::string& sql, const std::vector<store::Param>& params = {}) const;

private:
    std::string m_name;
    std::string m_conninfo;
};

std::string fixture_path(const std::string& relative); // under fixtures/

// A statement on a fresh connection to conninfo, for checks after a run
// (the server is up then); throws what the server said on failure.
store::Rows query_at(const std::string& conninfo, const std::string& sql,
                     const std::vector<store::Param>& params = {});
// The integer in the first row and column of such a statement.
long long count_at(const std::string& conninfo, const std::string& sql);

} // namespace lr::test
