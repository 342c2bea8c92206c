// A scripted SMTP server on 127.0.0.1 for tests: answers like a mail
// server, records what it accepts, and can answer the end of DATA with a
// scripted code (451 then 250, or 550) to test retries and failures.
#pragma once

#include <atomic>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace lr::test {

class FakeSmtpServer {
public:
    FakeSmtpServer();
    ~FakeSmtpServer();
    FakeSmtpServer(const FakeSmtpServer&) = delete;
    FakeSmtpServer& operator=(const FakeSmtpServer&) = delete;

    int port() const { return m_port; }
    std::string address() const { return "127.0.0.1:" + std::to_string(m_port); }

    // Replies to the end of DATA for the next messages, in order; 250 after.
    void script_data_replies(std::vector<int> codes);

    struct Message {
        std::string from;
        std::vector<std::string> to;
        std::string data;
    };
    std::vector<Message> accepted() const;
    int data_attempts() const { return m_attempts; }

private:
    void accept_loop();
    void serve(int fd);
    int next_data_reply();

    int m_listen = -1;
    int m_port = 0;
    std::atomic<bool> m_stop{false};
    std::atomic<int> m_attempts{0};
    mutable std::mutex m_mutex;
    std::deque<int> m_script;
    std::vector<Message> m_accepted;
    std::vector<std::thread> m_threads;
    std::thread m_acceptor;
};

} // namespace lr::test
