#include "pgbouncer.hpp"

#include <csignal>
#include <filesystem>
#include <fstream>
#include <pwd.h>
#include <stdexcept>
#include <unistd.h>

namespace lr::test {

namespace fs = std::filesystem;

namespace {

const char* const binary = "/usr/sbin/pgbouncer";
constexpr int port = 6432; // only the socket's name: .s.PGSQL.6432 in our directory

} // namespace

PgBouncer::PgBouncer(const std::string& cluster_dir, const std::string& dbname,
                     int server_connections)
    : m_dbname(dbname) {
    if (!fs::exists(binary))
        throw std::runtime_error(std::string(binary) + " is missing: apt-get install pgbouncer");
    std::string pattern = (fs::temp_directory_path() / "leadrouter-pgbouncer-XXXXXX").string();
    if (!mkdtemp(pattern.data()))
        throw std::runtime_error("mkdtemp failed for " + pattern);
    m_dir = pattern;
    const bool root = geteuid() == 0;
    if (root) {
        const passwd* pw = getpwnam("postgres");
        if (!pw || chown(m_dir.c_str(), pw->pw_uid, pw->pw_gid) != 0)
            throw std::runtime_error("cannot hand " + m_dir + " to the postgres user");
    }
    const std::string server = "host=" + cluster_dir + " dbname=" + dbname;
    std::ofstream(m_dir + "/userlist.txt") << "\"postgres\" \"\"\n";
    std::ofstream(m_dir + "/pgbouncer.ini")
        << "[databases]\n"
        << dbname << "_session = " << server << " pool_mode=session\n"
        << dbname << "_transaction = " << server
        << " pool_mode=transaction pool_size=" << server_connections << "\n"
        << "[pgbouncer]\n"
        << "listen_addr =\n"
        << "listen_port = " << port << "\n"
        << "unix_socket_dir = " << m_dir << "\n"
        << "auth_type = trust\n"
        << "auth_file = " << m_dir << "/userlist.txt\n"
        << "max_client_conn = 500\n"
        << "default_pool_size = 50\n"
        << "logfile = " << m_dir << "/pgbouncer.log\n"
        << "pidfile = " << m_dir << "/pgbouncer.pid\n"
        << (root ? "user = postgres\n" : "");
    m_process = std::make_unique<ChildProcess>(
        std::vector<std::string>{binary, m_dir + "/pgbouncer.ini"}, m_dir + "/stderr.log");
    const std::string socket = m_dir + "/.s.PGSQL." + std::to_string(port);
    if (!eventually([&] { return fs::exists(socket) || !m_process->running(); },
                    std::chrono::seconds(10)) ||
        !fs::exists(socket))
        throw std::runtime_error(
            "pgbouncer did not start: " + read_text_file(m_dir + "/stderr.log") + log());
}

PgBouncer::~PgBouncer() {
    m_process->signal(SIGTERM);
    m_process->wait(std::chrono::seconds(10));
    std::error_code ec;
    fs::remove_all(m_dir, ec);
}

std::string PgBouncer::session_conninfo() const {
    return "host=" + m_dir + " port=" + std::to_string(port) + " user=postgres dbname=" + m_dbname +
           "_session";
}

std::string PgBouncer::transaction_conninfo() const {
    return "host=" + m_dir + " port=" + std::to_string(port) + " user=postgres dbname=" + m_dbname +
           "_transaction";
}

std::string PgBouncer::log() const {
    return read_text_file(m_dir + "/pgbouncer.log");
}

} // namespace lr::test
