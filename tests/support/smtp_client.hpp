// A minimal blocking SMTP client for tests and benchmarks: one message per
// session, as inbound MX traffic is. Returns the server's last reply.
#pragma once

#include <string>
#include <vector>

namespace lr::test {

struct SmtpReply {
    int code = 0;     // 0: the connection failed
    std::string text; // the whole reply line(s)
    bool ok() const { return code >= 200 && code < 300; }
};

// Sends message (any line ends; sent with CRLF, dot-stuffed) from
// mail_from ("" is the null sender) to recipients. The reply is the first
// non-2xx/3xx one, else the answer to the end of DATA.
SmtpReply send_mail(int port, const std::string& mail_from,
                    const std::vector<std::string>& recipients, const std::string& message);

} // namespace lr::test
