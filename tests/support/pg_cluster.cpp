#include "pg_cluster.hpp"

#include "process.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <pwd.h>
#include <stdexcept>
#include <unistd.h>

namespace lr::test {

namespace fs = std::filesystem;

namespace {

const std::string pg_bin = "/usr/lib/postgresql/15/bin/";

// As root, run PostgreSQL's tools as the postgres user.
std::vector<std::string> as_server_user(std::vector<std::string> argv) {
    if (geteuid() != 0)
        return argv;
    argv.insert(argv.begin(), {"runuser", "-u", "postgres", "--"});
    return argv;
}

void hand_to_server_user(const std::string& dir) {
    if (geteuid() != 0)
        return;
    const passwd* pw = getpwnam("postgres");
    if (!pw)
        throw std::runtime_error("no postgres user: is postgresql-15 installed?");
    if (chown(dir.c_str(), pw->pw_uid, pw->pw_gid) != 0)
        throw std::runtime_error("cannot chown " + dir);
}

} // namespace

PgCluster PgCluster::start(bool durable) {
    std::string pattern = (fs::temp_directory_path() / "leadrouter-pg-XXXXXX").string();
    if (!mkdtemp(pattern.data()))
        throw std::runtime_error("mkdtemp failed for " + pattern);
    PgCluster cluster(pattern, true);
    hand_to_server_user(cluster.m_dir);
    const std::string data = cluster.m_dir + "/data";
    const std::string log = cluster.m_dir + "/server.log";
    const std::string setup_log = cluster.m_dir + "/setup.log";

    int rc =
        run_program(as_server_user({pg_bin + "initdb", "-D", data, "-U", "postgres", "--auth=trust",
                                    "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"}),
                    setup_log);
    if (rc != 0)
        throw std::runtime_error("initdb failed (" + std::to_string(rc) + "), see " + setup_log);
    cluster.m_durable = durable;
    cluster.resume();
    return cluster;
}

void PgCluster::resume() {
    const std::string log = m_dir + "/server.log";
    // Only the unix socket in our own directory: no TCP port to collide on.
    // fsync off for tests: a test cluster need not survive a power cut.
    int rc = run_program(
        as_server_user({pg_bin + "pg_ctl", "-D", m_dir + "/data", "-l", log, "-w", "-t", "60", "-o",
                        "-c listen_addresses= -k " + m_dir + (m_durable ? "" : " -c fsync=off") +
                            " -c max_connections=200",
                        "start"}),
        m_dir + "/setup.log");
    if (rc != 0)
        throw std::runtime_error("pg_ctl start failed (" + std::to_string(rc) + "), see " + log);
}

void PgCluster::pause() {
    run_program(
        as_server_user({pg_bin + "pg_ctl", "-D", m_dir + "/data", "-m", "fast", "-w", "stop"}),
        m_dir + "/setup.log");
}

PgCluster PgCluster::attach(const std::string& dir) {
    return PgCluster(dir, false);
}
PgCluster PgCluster::adopt(const std::string& dir) {
    return PgCluster(dir, true);
}

std::string PgCluster::release() {
    m_owned = false;
    return m_dir;
}

PgCluster::PgCluster(PgCluster&& other) noexcept
    : m_dir(std::move(other.m_dir)), m_owned(other.m_owned), m_durable(other.m_durable) {
    other.m_owned = false;
}

PgCluster::~PgCluster() {
    stop();
}

void PgCluster::stop() {
    if (!m_owned)
        return;
    m_owned = false;
    pause();
    std::error_code ec;
    fs::remove_all(m_dir, ec);
}

std::string PgCluster::conninfo(const std::string& dbname) const {
    return "host=" + m_dir + " user=postgres dbname=" + dbname;
}

std::string cluster_state_file() {
    const char* path = std::getenv("LEADROUTER_TEST_PG_STATE");
    return path ? path : "";
}

const PgCluster& shared_cluster() {
    static PgCluster cluster = [] {
        std::string state = cluster_state_file();
        if (!state.empty()) {
            std::ifstream in(state);
            std::string dir;
            if (in >> dir)
                return PgCluster::attach(dir);
        }
        return PgCluster::start();
    }();
    return cluster;
}

} // namespace lr::test
