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

namespace lr::test {

class PgCluster {
public:
    // Throws std::runtime_error with the log's path when the cluster fails.
    // durable=false turns fsync off (tests); benchmarks keep it on.
    static PgCluster start(bool durable = false);
    static PgCluster attach(const std::string& dir); // borrow a running one
    static PgCluster adopt(const std::string& dir);  // take over a running one
    PgCluster(PgCluster&&) noexcept;
    PgCluster& operator=(PgCluster&&) = delete;
    ~PgCluster(); // stops the cluster if this object started it

    void stop();
    // The server down and up again on the same data (a database outage).
    void pause();
    void resume();
    // Leaves the cluster running past this object (the fixture's start step).
    std::string release();
    const std::string& dir() const { return m_dir; }
    std::string conninfo(const std::string& dbname) const;

private:
    PgCluster(std::string dir, bool owned) : m_dir(std::move(dir)), m_owned(owned) {}
    std::string m_dir;
    bool m_owned;
    bool m_durable = false;
};

// The cluster of this test run (the CTest fixture's, else a private one).
const PgCluster& shared_cluster();

// The file through which the CTest fixture hands over the cluster directory.
std::string cluster_state_file();

} // namespace lr::test
