#include "notify_socket.hpp"

#include "process.hpp"

#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace lr::test {

NotifySocket::NotifySocket() {
    m_path = (std::filesystem::temp_directory_path() /
              ("leadrouter-notify-" + std::to_string(getpid()) + ".sock"))
                 .string();
    std::filesystem::remove(m_path);
    m_fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, m_path.c_str(), sizeof address.sun_path - 1);
    if (::bind(m_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
        throw std::runtime_error("cannot bind " + m_path);
}

NotifySocket::~NotifySocket() {
    ::close(m_fd);
    std::filesystem::remove(m_path);
}

const std::vector<std::string>& NotifySocket::messages() {
    char buffer[4096];
    for (;;) {
        ssize_t n = ::recv(m_fd, buffer, sizeof buffer, 0);
        if (n <= 0)
            break;
        m_messages.emplace_back(buffer, static_cast<size_t>(n));
    }
    return m_messages;
}

bool NotifySocket::wait_for(const std::string& text, size_t skip,
                            std::chrono::milliseconds timeout) {
    return eventually(
        [&] {
            const auto& all = messages();
            for (size_t i = skip; i < all.size(); ++i)
                if (all[i].find(text) != std::string::npos)
                    return true;
            return false;
        },
        timeout);
}

} // namespace lr::test
