// leadmilter running beside a test on a private socket; SIGTERM and a
// wait when the object goes away (libmilter takes a few seconds to stop).
#pragma once

#include "process.hpp"

#include <memory>
#include <string>

namespace lr::test {

class MilterProcess {
public:
    // socket: "unix:/path" or "inet:PORT@127.0.0.1". Waits until it listens.
    MilterProcess(const std::string& binary, const std::string& config, const std::string& conninfo,
                  const std::string& socket);
    ~MilterProcess();
    MilterProcess(const MilterProcess&) = delete;
    MilterProcess& operator=(const MilterProcess&) = delete;

    const std::string& socket() const { return m_socket; }
    const std::string& log_file() const { return m_log; }
    ChildProcess& process() { return *m_process; }
    // SIGTERM; the exit status, or nullopt when it did not stop in time.
    std::optional<int> stop(std::chrono::milliseconds timeout = std::chrono::seconds(20));

private:
    std::string m_socket;
    std::string m_log;
    std::unique_ptr<ChildProcess> m_process;
};

// Whether a milter listens at socket ("unix:/path" or "inet:PORT@HOST").
bool can_connect(const std::string& socket_spec);

// A unix socket path under the temp directory, unique per test process.
std::string private_milter_socket(const std::string& name);

} // namespace lr::test
