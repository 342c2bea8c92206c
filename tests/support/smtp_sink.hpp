// Postfix's smtp-sink on 127.0.0.1 for tests that want a real SMTP server:
// every message it receives is dumped to a file with the envelope as
// X-Mail-Args / X-Rcpt-Args headers in front.
#pragma once

#include "process.hpp"

#include <memory>
#include <string>
#include <vector>

namespace lr::test {

class SmtpSink {
public:
    SmtpSink(); // throws when /usr/sbin/smtp-sink is missing
    ~SmtpSink();
    std::string address() const { return "127.0.0.1:" + std::to_string(m_port); }
    std::vector<std::string> messages() const; // dumped files, oldest first

private:
    int m_port = 0;
    std::string m_dir;
    std::unique_ptr<ChildProcess> m_process;
};

int free_loopback_port();

} // namespace lr::test
