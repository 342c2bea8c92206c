#include "smtp_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace lr::test {

namespace {

class Session {
public:
    explicit Session(int port) {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<uint16_t>(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        timeval timeout{60, 0};
        setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        if (::connect(m_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
            ::close(m_fd);
            m_fd = -1;
        }
    }
    ~Session() {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    bool connected() const { return m_fd >= 0; }

    bool send(const std::string& data) {
        size_t sent = 0;
        while (sent < data.size()) {
            ssize_t n = ::send(m_fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
            if (n <= 0)
                return false;
            sent += static_cast<size_t>(n);
        }
        return true;
    }

    // One reply, multi-line ones ("250-…") included.
    SmtpReply reply() {
        SmtpReply out;
        for (;;) {
            std::string line;
            if (!read_line(line))
                return {};
            out.text += line + "\n";
            if (line.size() < 4 || line[3] != '-') {
                out.code = std::atoi(line.substr(0, 3).c_str());
                return out;
            }
        }
    }

private:
    bool read_line(std::string& line) {
        for (;;) {
            size_t end = m_buffer.find("\r\n");
            if (end != std::string::npos) {
                line = m_buffer.substr(0, end);
                m_buffer.erase(0, end + 2);
                return true;
            }
            char chunk[4096];
            ssize_t n = ::recv(m_fd, chunk, sizeof chunk, 0);
            if (n <= 0)
                return false;
            m_buffer.append(chunk, static_cast<size_t>(n));
        }
    }

    int m_fd = -1;
    std::string m_buffer;
};

std::string data_block(const std::string& message) {
    std::string out;
    out.reserve(message.size() + message.size() / 40 + 8);
    bool line_start = true;
    for (size_t i = 0; i < message.size(); ++i) {
        char c = message[i];
        if (line_start && c == '.')
            out += '.';
        if (c == '\n' && (i == 0 || message[i - 1] != '\r'))
            out += '\r';
        out += c;
        line_start = c == '\n';
    }
    if (!line_start)
        out += "\r\n";
    return out + ".\r\n";
}

} // namespace

SmtpReply send_mail(int port, const std::string& mail_from,
                    const std::vector<std::string>& recipients, const std::string& message) {
    Session session(port);
    if (!session.connected())
        return {};
    auto step = [&](const std::string& command) -> SmtpReply {
        if (!command.empty() && !session.send(command))
            return {};
        return session.reply();
    };
    SmtpReply reply = step("");
    if (!reply.ok())
        return reply;
    if (!(reply = step("EHLO client.leadrouter.test\r\n")).ok())
        return reply;
    if (!(reply = step("MAIL FROM:<" + mail_from + ">\r\n")).ok())
        return reply;
    for (const auto& recipient : recipients)
        if (!(reply = step("RCPT TO:<" + recipient + ">\r\n")).ok())
            return reply;
    if ((reply = step("DATA\r\n")).code != 354)
        return reply;
    SmtpReply done = step(data_block(message));
    step("QUIT\r\n");
    return done;
}

} // namespace lr::test
