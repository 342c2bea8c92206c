#include "milter_process.hpp"

#include <arpa/inet.h>
#include <csignal>
#include <filesystem>
#include <netinet/in.h>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace lr::test {

bool can_connect(const std::string& socket_spec) {
    int fd = -1;
    bool connected = false;
    if (socket_spec.rfind("unix:", 0) == 0) {
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::string path = socket_spec.substr(5);
        if (path.size() >= sizeof(address.sun_path))
            return false;
        std::copy(path.begin(), path.end(), address.sun_path);
        fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
        connected = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    } else { // inet:PORT@127.0.0.1
        int port = std::stoi(socket_spec.substr(5, socket_spec.find('@') - 5));
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<uint16_t>(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        fd = ::socket(AF_INET, SOCK_STREAM, 0);
        connected = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    }
    if (fd >= 0)
        ::close(fd);
    return connected;
}

std::string private_milter_socket(const std::string& name) {
    return "unix:" + (std::filesystem::temp_directory_path() /
                      ("leadmilter-" + name + "-" + std::to_string(getpid()) + ".sock"))
                         .string();
}

MilterProcess::MilterProcess(const std::string& binary, const std::string& config,
                             const std::string& conninfo, const std::string& socket)
    : m_socket(socket) {
    m_log = (std::filesystem::temp_directory_path() /
             ("leadmilter-" + std::to_string(getpid()) + "-" +
              std::to_string(std::hash<std::string>{}(socket)) + ".log"))
                .string();
    m_process = std::make_unique<ChildProcess>(std::vector<std::string>{binary, "--config", config,
                                                                        "--database", conninfo,
                                                                        "--socket", socket},
                                               m_log);
    if (!eventually([&] { return can_connect(m_socket) || !m_process->running(); },
                    std::chrono::seconds(15)) ||
        !m_process->running())
        throw std::runtime_error("leadmilter did not start; see " + m_log + ":\n" +
                                 read_text_file(m_log));
}

std::optional<int> MilterProcess::stop(std::chrono::milliseconds timeout) {
    if (!m_process->running())
        return m_process->wait(std::chrono::milliseconds(0));
    m_process->signal(SIGTERM);
    return m_process->wait(timeout);
}

MilterProcess::~MilterProcess() {
    stop();
    if (m_socket.rfind("unix:", 0) == 0)
        std::filesystem::remove(m_socket.substr(5));
}

} // namespace lr::test
