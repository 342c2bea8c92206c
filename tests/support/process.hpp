// Running helper programs from tests without a shell: arguments are passed
// as they are, output goes to a log file.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace lr::test {

// The exit status, or -1 when the program could not be started.
int run_program(const std::vector<std::string>& argv, const std::string& log_file = "/dev/null");

// A program running beside the test; killed (SIGKILL) if still running when
// the object goes away, so a failing test leaves nothing behind.
class ChildProcess {
public:
    ChildProcess(const std::vector<std::string>& argv, const std::string& log_file);
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;
    ~ChildProcess();

    void signal(int number);
    // The exit status (128+signal when killed), or nullopt on timeout.
    std::optional<int> wait(std::chrono::milliseconds timeout);
    bool running();
    pid_t pid() const { return m_pid; }

private:
    pid_t m_pid = -1;
    std::optional<int> m_status;
};

// Polls condition every 20 ms until it holds or timeout passes.
bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout);

std::string read_text_file(const std::string& path);

} // namespace lr::test
