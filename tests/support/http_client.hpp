// A real HTTP client for the leadweb tests (libcurl), and a raw socket for
// the requests no client would send (slow, cut off, oversized).
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace lr::test {

struct HttpReply {
    long status = 0; // 0: no answer (connection refused, closed, timed out)
    std::string body;
    std::map<std::string, std::string> headers; // names in lower case
    std::string error;                          // curl's, when status is 0
};

// method: GET, HEAD, POST, PUT ...; host: a Host header instead of the
// URL's; form: a POST body (application/x-www-form-urlencoded).
// headers: more "Name: value" lines (Authorization, Content-Type).
HttpReply http(const std::string& method, const std::string& url, const std::string& host = "",
               const std::string& form = "",
               std::chrono::milliseconds timeout = std::chrono::seconds(20),
               const std::vector<std::string>& headers = {});

// Form-encodes one value (curl_easy_escape).
std::string form_value(const std::string& value);

// Sends bytes to 127.0.0.1:port and reads until the server closes the
// connection or give_up passes; nullopt when the server still held the
// connection open then. The answer (possibly empty) otherwise.
std::optional<std::string> send_raw(int port, const std::string& bytes,
                                    std::chrono::milliseconds give_up);

} // namespace lr::test
