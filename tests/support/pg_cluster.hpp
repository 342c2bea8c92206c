// A throwaway PostgreSQL 15 cluster for tests: initdb into a temporary
// directory, listening only on a unix socket in that directory. As root it
// runs under `runuser -u postgres` (PostgreSQL refuses to run as root).
//
// Under CTest one cluster serves the whole run: the fixture tests
// `pg_cluster_start` / `pg_cluster_stop` call pg_test_cluster, and CTest runs
// the stop even when tests fail. A test binary started by hand without that
// fixture starts a private cluster and stops it at exit.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace lr::test {

class PgCluster {
public:
    // Throws std::runtime_error with the log's path when the cluster fails.
    // durable=false turns fsync off (tests); benchmarks keep it on.
    static PgCluster start(bool durable = false);
    // A streaming-replication hot standby of primary (pg_basebackup -R),
    // in its own directory, reporting to the primary as application_name.
    static PgCluster standby_of(const PgCluster& primary, const std::string& application_name);
    static PgCluster attach(const std::string& dir); // borrow a running one
    static PgCluster adopt(const std::string& dir);  // take over a running one
    PgCluster(PgCluster&&) noexcept;
    PgCluster& operator=(PgCluster&&) = delete;
    ~PgCluster(); // stops the cluster if this object started it

    void stop();
    // The server down and up again on the same data (a database outage).
    void pause();
    void resume();
    // The server killed as a crash would (immediate shutdown, no checkpoint).
    void crash();
    // A standby made primary (pg_ctl promote, waiting until it is).
    void promote();
    // Leaves the cluster running past this object (the fixture's start step).
    std::string release();
    const std::string& dir() const { return m_dir; }
    std::string conninfo(const std::string& dbname) const;
    // CREATE DATABASE name with the schema migrated; returns its conninfo.
    // Throws what the server said on failure.
    std::string create_migrated_database(const std::string& name) const;

private:
    PgCluster(std::string dir, bool owned) : m_dir(std::move(dir)), m_owned(owned) {}
    static std::string make_directory();
    void run_pg_ctl(const std::vector<std::string>& arguments, const std::string& what);
    std::string m_dir;
    bool m_owned;
    bool m_durable = false;
};

// The cluster of this test run (the CTest fixture's, else a private one).
const PgCluster& shared_cluster();

// The file through which the CTest fixture hands over the cluster directory.
std::string cluster_state_file();

} // namespace lr::test
