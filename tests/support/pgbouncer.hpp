// A private PgBouncer (Debian 12: 1.18) in front of a test cluster: unix
// socket only, in its own temporary directory, two pools on one database —
// "<db>_session" (pool_mode=session) and "<db>_transaction"
// (pool_mode=transaction, few server connections so clients really share
// them). As root it drops to the postgres user itself (`user =`).
#pragma once

#include "process.hpp"

#include <memory>
#include <string>

namespace lr::test {

class PgBouncer {
public:
    // cluster_dir: the cluster's socket directory; dbname: its database.
    PgBouncer(const std::string& cluster_dir, const std::string& dbname, int server_connections);
    ~PgBouncer();
    PgBouncer(const PgBouncer&) = delete;
    PgBouncer& operator=(const PgBouncer&) = delete;

    std::string session_conninfo() const;
    std::string transaction_conninfo() const;
    std::string log() const;

private:
    std::string m_dir;
    std::string m_dbname;
    std::unique_ptr<ChildProcess> m_process;
};

} // namespace lr::test
