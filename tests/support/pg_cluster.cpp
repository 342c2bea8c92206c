#include "pg_cluster.hpp"

#include "process.hpp"
#include "store/migrations.hpp"

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

std::string PgCluster::make_directory() {
    std::string pattern = (fs::temp_directory_path() / "leadrouter-pg-XXXXXX").string();
    if (!mkdtemp(pattern.data()))
        throw std::runtime_error("mkdtemp failed for " + pattern);
    hand_to_server_user(pattern);
    return pattern;
}

PgCluster PgCluster::start(bool durable) {
    PgCluster cluster(make_directory(), true);
    const std::string data = cluster.m_dir + "/data";
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

PgCluster PgCluster::standby_of(const PgCluster& primary, const std::string& application_name) {
    PgCluster cluster(make_directory(), true);
    const std::string data = cluster.m_dir + "/data";
    const std::string setup_log = cluster.m_dir + "/setup.log";
    // -R writes standby.signal and primary_conninfo; the line appended
    // below names the standby, for the primary's synchronous_standby_names.
    int rc =
        run_program(as_server_user({pg_bin + "pg_basebackup", "-D", data, "-h", primary.dir(), "-U",
                                    "postgres", "-X", "stream", "-c", "fast", "-R", "--no-sync"}),
                    setup_log);
    if (rc != 0)
        throw std::runtime_error("pg_basebackup failed (" + std::to_string(rc) + "), see " +
                                 setup_log);
    std::ofstream(data + "/postgresql.auto.conf", std::ios::app)
        << "primary_conninfo = 'host=" << primary.dir()
        << " user=postgres application_name=" << application_name << "'\n";
    cluster.resume();
    return cluster;
}

void PgCluster::run_pg_ctl(const std::vector<std::string>& arguments, const std::string& what) {
    std::vector<std::string> argv = {pg_bin + "pg_ctl", "-D", m_dir + "/data"};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    int rc = run_program(as_server_user(argv), m_dir + "/setup.log");
    if (rc != 0)
        throw std::runtime_error("pg_ctl " + what + " failed (" + std::to_string(rc) + "), see " +
                                 m_dir + "/server.log");
}

void PgCluster::resume() {
    // Only the unix socket in our own directory: no TCP port to collide on.
    // fsync off for tests: a test cluster need not survive a power cut.
    const std::string options = "-c listen_addresses= -k " + m_dir +
                                (m_durable ? "" : " -c fsync=off") + " -c max_connections=200";
    run_pg_ctl({"-l", m_dir + "/server.log", "-w", "-t", "60", "-o", options, "start"}, "start");
}

void PgCluster::pause() {
    run_program(
        as_server_user({pg_bin + "pg_ctl", "-D", m_dir + "/data", "-m", "fast", "-w", "stop"}),
        m_dir + "/setup.log");
}

void PgCluster::crash() {
    run_pg_ctl({"-m", "immediate", "-w", "stop"}, "stop -m immediate");
}

void PgCluster::promote() {
    run_pg_ctl({"-w", "-t", "60", "promote"}, "promote");
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

std::string PgCluster::create_migrated_database(const std::string& name) const {
    auto admin = store::Connection::open(conninfo("postgres"));
    if (!admin)
        throw std::runtime_error(admin.error().message);
    // Identifiers cannot be parameters; the name is the test's own.
    if (auto created = admin->exec("CREATE DATABASE " + name); !created)
        throw std::runtime_error(created.error().message);
    auto connection = store::Connection::open(conninfo(name));
    if (!connection)
        throw std::runtime_error(connection.error().message);
    if (auto migrated = store::migrate(*connection); !migrated)
        throw std::runtime_error(migrated.error().message);
    return conninfo(name);
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
