#include "smtp_sink.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <csignal>
#include <filesystem>
#include <netinet/in.h>
#include <pwd.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace lr::test {

namespace fs = std::filesystem;

int free_loopback_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    socklen_t length = sizeof address;
    getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    ::close(fd);
    return ntohs(address.sin_port);
}

SmtpSink::SmtpSink() {
    if (!fs::exists("/usr/sbin/smtp-sink"))
        throw std::runtime_error("/usr/sbin/smtp-sink is missing (Debian package postfix)");
    std::string pattern = (fs::temp_directory_path() / "leadrouter-sink-XXXXXX").string();
    if (!mkdtemp(pattern.data()))
        throw std::runtime_error("mkdtemp failed");
    m_dir = pattern;
    m_port = free_loopback_port();
    const passwd* me = getpwuid(geteuid());
    m_process = std::make_unique<ChildProcess>(
        std::vector<std::string>{"/usr/sbin/smtp-sink", "-u", me ? me->pw_name : "root", "-d",
                                 m_dir + "/%Y%m%d%H%M%S.", "127.0.0.1:" + std::to_string(m_port),
                                 "64"},
        m_dir + ".log");
    // Ready when it accepts connections.
    eventually(
        [&] {
            int fd = ::socket(AF_INET, SOCK_STREAM, 0);
            sockaddr_in address{};
            address.sin_family = AF_INET;
            address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            address.sin_port = htons(static_cast<uint16_t>(m_port));
            bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
            ::close(fd);
            return ok;
        },
        std::chrono::seconds(10));
}

SmtpSink::~SmtpSink() {
    m_process->signal(SIGTERM);
    m_process->wait(std::chrono::seconds(5));
    m_process.reset();
    std::error_code ec;
    fs::remove_all(m_dir, ec);
    fs::remove(m_dir + ".log", ec);
}

std::vector<std::string> SmtpSink::messages() const {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(m_dir))
        files.push_back(entry.path());
    std::sort(files.begin(), files.end(), [](const fs::path& a, const fs::path& b) {
        return fs::last_write_time(a) < fs::last_write_time(b);
    });
    std::vector<std::string> out;
    for (const auto& file : files)
        out.push_back(read_text_file(file.string()));
    return out;
}

} // namespace lr::test
