// A NOTIFY_SOCKET for tests: the datagram socket systemd would listen on,
// so a test can see READY=1, RELOADING=1, STOPPING=1 from a daemon.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace lr::test {

class NotifySocket {
public:
    NotifySocket();
    ~NotifySocket();
    NotifySocket(const NotifySocket&) = delete;
    NotifySocket& operator=(const NotifySocket&) = delete;

    const std::string& path() const { return m_path; }
    // Every datagram received so far (reads what is waiting).
    const std::vector<std::string>& messages();
    // Waits until a datagram after the first `skip` contains text.
    bool wait_for(const std::string& text, size_t skip, std::chrono::milliseconds timeout);

private:
    int m_fd = -1;
    std::string m_path;
    std::vector<std::string> m_messages;
};

} // namespace lr::test
