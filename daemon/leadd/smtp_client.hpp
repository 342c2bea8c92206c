// SMTP over libcurl's multi interface, driven by the libevent loop: curl
// tells us which sockets to watch and when to time out
// (CURLMOPT_SOCKETFUNCTION / CURLMOPT_TIMERFUNCTION), libevent tells curl
// when they are ready. Several sends are in flight at once; nothing blocks
// the loop. STARTTLS and SMTP AUTH as the server's SmtpSecurity says.
#pragma once

#include "core/config.hpp"
#include "event_handles.hpp"

#include <curl/curl.h>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace lr::daemon {

struct SmtpJob {
    std::string server; // host or host:port
    std::string mail_from;
    std::vector<std::string> recipients;
    std::string message;       // the whole message, CRLF
    long timeout_seconds = 60; // the whole send, connect to QUIT
    core::SmtpSecurity security;
    // From security.credentials_file, read just before the send; empty: no AUTH.
    std::string username;
    std::string password;
};

struct SmtpOutcome {
    bool delivered = false;
    // A 5xx answer to the mail itself: do not retry. A refused login or a
    // failed TLS check is the configuration's fault and is retried.
    bool permanent = false;
    long code = 0;      // the server's last reply code, 0 when none
    std::string detail; // the server's answer or curl's error
};

class SmtpClient {
public:
    using Done = std::function<void(const SmtpOutcome&)>;

    explicit SmtpClient(event_base* base);
    ~SmtpClient();
    SmtpClient(const SmtpClient&) = delete;
    SmtpClient& operator=(const SmtpClient&) = delete;

    void send(SmtpJob job, Done done);
    size_t in_flight() const { return m_transfers.size(); }

private:
    struct Transfer;
    struct MultiCleanup {
        void operator()(CURLM* multi) const { curl_multi_cleanup(multi); }
    };

    static int on_socket(CURL* easy, curl_socket_t fd, int what, void* self, void* socket_data);
    static int on_timer(CURLM* multi, long timeout_ms, void* self);
    static void on_event(evutil_socket_t fd, short what, void* self) noexcept;
    static void on_timeout(evutil_socket_t, short, void* self) noexcept;
    void finish_done_transfers();

    event_base* m_base;
    std::unique_ptr<CURLM, MultiCleanup> m_multi;
    Event m_timer;
    std::map<curl_socket_t, Event> m_socket_events;
    std::map<CURL*, std::unique_ptr<Transfer>> m_transfers;
};

} // namespace lr::daemon
