// A TCP server on 127.0.0.1 that takes connections (the kernel's backlog
// does) and never says a word: what a hung or half-failed-over database
// looks like to a client. For tests that a connect never blocks a loop.
#pragma once

#include <string>

namespace lr::test {

class SilentServer {
public:
    SilentServer(); // throws when no socket can be bound
    ~SilentServer();
    SilentServer(const SilentServer&) = delete;
    SilentServer& operator=(const SilentServer&) = delete;

    int port() const { return m_port; }
    // A libpq conninfo pointing at it.
    std::string conninfo(int connect_timeout) const;

private:
    int m_fd = -1;
    int m_port = 0;
};

} // namespace lr::test
