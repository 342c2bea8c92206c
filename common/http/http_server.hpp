// The product's HTTP server: GNU libmicrohttpd (issue #15), not libevent's
// evhttp, which has no header, body or connection limits by default.
// leadweb's pages and API run on it, and every process's metrics endpoint
// (issue #16).
//
// The server owns the MHD daemon (stopped in the destructor) and turns each
// complete request into one call of the handler on one of its threads.
// Limits: at most max_connections at once, the request line and headers
// within memory_per_connection (431 past it), a body of at most max_body
// bytes (413 at once from Content-Length; a chunked one is cut off),
// a connection closed after request_timeout without a byte, and a request
// whose body still trickles in after request_timeout closed as well.
#pragma once

#include "util/result.hpp"

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

struct MHD_Daemon;

namespace lr::http {

struct HttpRequest {
    std::string method; // GET, HEAD, POST, ...
    std::string path;   // without the query
    std::string host;   // the Host header, as sent
    // The query's parameters in their order, percent-decoded; a name
    // without "=" has an empty value.
    std::vector<std::pair<std::string, std::string>> query;
    std::string authorization; // the Authorization header, as sent
    std::string content_type;  // the Content-Type header, as sent
    // The fields of an application/x-www-form-urlencoded or
    // multipart/form-data body (first value of each name).
    std::map<std::string, std::string> form;
    std::string body; // the body as it came (for JSON), at most max_body bytes
};

struct HttpResponse {
    int status = 200;
    std::string content_type = "text/html; charset=utf-8";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
};

using Handler = std::function<HttpResponse(const HttpRequest&)>;

struct ServerLimits {
    std::size_t max_connections = 256;
    std::chrono::seconds request_timeout{10};
    unsigned threads = 2;
    std::size_t max_body = 64 * 1024; // a reply to the customer fits
    std::size_t memory_per_connection = 32 * 1024;
};

class HttpServer {
public:
    // listen: "host:port" ("127.0.0.1:8026", "[::1]:8026", "localhost:0").
    static Result<std::unique_ptr<HttpServer>> start(const std::string& listen,
                                                     const ServerLimits& limits, Handler handler);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    unsigned short port() const; // the bound port (for "host:0")

private:
    struct Impl;
    explicit HttpServer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace lr::http
