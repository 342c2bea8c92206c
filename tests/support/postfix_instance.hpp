// A private Postfix 3.7 for end-to-end tests: its own config_directory,
// queue and data directory under a temporary directory, smtpd on a free
// 127.0.0.1 port, every transport relaying to one next hop, logging to a
// file through postlogd (there is no syslog here). Runs as root, like a
// real one; `postfix stop` and a wait for the master when it goes away.
#pragma once

#include <string>
#include <vector>

namespace lr::test {

struct PostfixOptions {
    std::string name = "mx";
    std::string relay;                       // "127.0.0.1:PORT": where all mail goes
    std::string milters;                     // smtpd_milters, e.g. "inet:127.0.0.1:PORT"
    std::vector<std::string> extra_settings; // more main.cf lines
};

class PostfixInstance {
public:
    explicit PostfixInstance(const PostfixOptions& options);
    ~PostfixInstance();
    PostfixInstance(const PostfixInstance&) = delete;
    PostfixInstance& operator=(const PostfixInstance&) = delete;

    int smtp_port() const { return m_port; }
    std::string maillog() const;
    const std::string& directory() const { return m_dir; } // config, queue, data below it
    // Messages in the queue (incoming, active, deferred, hold).
    int queued() const;
    // Asks the queue manager to try deferred mail now (postqueue -f).
    void flush() const;

private:
    std::string m_dir;
    int m_port = 0;
};

} // namespace lr::test
