#include "fake_smtp.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace lr::test {

namespace {

bool write_all(int fd, const std::string& text) {
    size_t done = 0;
    while (done < text.size()) {
        ssize_t n = ::send(fd, text.data() + done, text.size() - done, MSG_NOSIGNAL);
        if (n <= 0)
            return false;
        done += static_cast<size_t>(n);
    }
    return true;
}

std::string address_in(const std::string& line) {
    auto open = line.find('<');
    auto close = line.find('>', open);
    return open == std::string::npos ? "" : line.substr(open + 1, close - open - 1);
}

} // namespace

FakeSmtpServer::FakeSmtpServer() {
    m_listen = ::socket(AF_INET, SOCK_STREAM, 0);
    int yes = 1;
    setsockopt(m_listen, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    if (::bind(m_listen, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(m_listen, 64) != 0)
        throw std::runtime_error("fake SMTP server: cannot listen on 127.0.0.1");
    socklen_t length = sizeof address;
    getsockname(m_listen, reinterpret_cast<sockaddr*>(&address), &length);
    m_port = ntohs(address.sin_port);
    m_acceptor = std::thread([this] { accept_loop(); });
}

FakeSmtpServer::~FakeSmtpServer() {
    m_stop = true;
    ::shutdown(m_listen, SHUT_RDWR);
    ::close(m_listen);
    m_acceptor.join();
    for (auto& thread : m_threads)
        thread.join();
}

void FakeSmtpServer::script_data_replies(std::vector<int> codes) {
    std::lock_guard lock(m_mutex);
    m_script.assign(codes.begin(), codes.end());
}

std::vector<FakeSmtpServer::Message> FakeSmtpServer::accepted() const {
    std::lock_guard lock(m_mutex);
    return m_accepted;
}

int FakeSmtpServer::next_data_reply() {
    std::lock_guard lock(m_mutex);
    if (m_script.empty())
        return 250;
    int code = m_script.front();
    m_script.pop_front();
    return code;
}

void FakeSmtpServer::accept_loop() {
    while (!m_stop) {
        pollfd waiting{m_listen, POLLIN, 0};
        if (::poll(&waiting, 1, 100) <= 0)
            continue;
        int fd = ::accept(m_listen, nullptr, nullptr);
        if (fd < 0)
            continue;
        std::lock_guard lock(m_mutex);
        m_threads.emplace_back([this, fd] { serve(fd); });
    }
}

void FakeSmtpServer::serve(int fd) {
    std::string buffer;
    auto read_line = [&](std::string& line) {
        for (;;) {
            auto end = buffer.find("\r\n");
            if (end != std::string::npos) {
                line = buffer.substr(0, end);
                buffer.erase(0, end + 2);
                return true;
            }
            pollfd waiting{fd, POLLIN, 0};
            if (m_stop || ::poll(&waiting, 1, 100) < 0)
                return false;
            if (!(waiting.revents & POLLIN))
                continue;
            char chunk[4096];
            ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
            if (n <= 0)
                return false;
            buffer.append(chunk, static_cast<size_t>(n));
        }
    };
    Message message;
    std::string line;
    write_all(fd, "220 fake.test ESMTP\r\n");
    while (read_line(line)) {
        std::string verb = line.substr(0, 4);
        for (char& c : verb)
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (verb == "EHLO" || verb == "HELO") {
            write_all(fd, "250-fake.test\r\n250 8BITMIME\r\n");
        } else if (verb == "MAIL") {
            message = Message{address_in(line), {}, {}};
            write_all(fd, "250 2.1.0 Ok\r\n");
        } else if (verb == "RCPT") {
            message.to.push_back(address_in(line));
            write_all(fd, "250 2.1.5 Ok\r\n");
        } else if (verb == "DATA") {
            write_all(fd, "354 End data with <CR><LF>.<CR><LF>\r\n");
            std::string data;
            bool complete = false;
            while (read_line(line)) {
                if (line == ".") {
                    complete = true;
                    break;
                }
                data += (line.rfind("..", 0) == 0 ? line.substr(1) : line) + "\r\n";
            }
            if (!complete)
                break; // the client went away in the middle: nothing was accepted
            message.data = data;
            ++m_attempts;
            int code = next_data_reply();
            if (code == 250) {
                {
                    std::lock_guard lock(m_mutex);
                    m_accepted.push_back(message);
                }
                write_all(fd, "250 2.0.0 Ok: queued\r\n");
            } else if (code / 100 == 4) {
                write_all(fd, std::to_string(code) + " 4.3.0 Try again later\r\n");
            } else {
                write_all(fd, std::to_string(code) + " 5.7.1 Message rejected by policy\r\n");
            }
        } else if (verb == "QUIT") {
            write_all(fd, "221 2.0.0 Bye\r\n");
            break;
        } else {
            write_all(fd, "250 2.0.0 Ok\r\n"); // RSET, NOOP
        }
    }
    ::close(fd);
}

} // namespace lr::test
