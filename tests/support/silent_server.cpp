#include "silent_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace lr::test {

SilentServer::SilentServer() {
    m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (m_fd < 0 || ::bind(m_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(m_fd, 8) != 0)
        throw std::runtime_error("cannot listen on 127.0.0.1");
    socklen_t length = sizeof address;
    getsockname(m_fd, reinterpret_cast<sockaddr*>(&address), &length);
    m_port = ntohs(address.sin_port);
}

SilentServer::~SilentServer() {
    if (m_fd >= 0)
        ::close(m_fd);
}

std::string SilentServer::conninfo(int connect_timeout) const {
    return "host=127.0.0.1 port=" + std::to_string(m_port) +
           " dbname=x connect_timeout=" + std::to_string(connect_timeout);
}

} // namespace lr::test
