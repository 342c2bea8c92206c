#include "http_server.hpp"

#include <cstring>
#include <microhttpd.h>
#include <netdb.h>
#include <sys/socket.h>

namespace lr::http {

namespace {

struct DaemonDeleter {
    void operator()(MHD_Daemon* daemon) const { MHD_stop_daemon(daemon); }
};
struct PostProcessorDeleter {
    void operator()(MHD_PostProcessor* processor) const { MHD_destroy_post_processor(processor); }
};
struct AddrInfoDeleter {
    void operator()(addrinfo* info) const { freeaddrinfo(info); }
};

// One request on its way in: what arrived of its body so far.
struct PendingRequest {
    HttpRequest request;
    std::unique_ptr<MHD_PostProcessor, PostProcessorDeleter> form_reader;
    std::size_t body_bytes = 0;
    bool too_large = false; // by its Content-Length
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
};

MHD_Result on_form_field(void* cls, MHD_ValueKind, const char* key, const char*, const char*,
                         const char*, const char* data, uint64_t offset, size_t size) {
    auto* pending = static_cast<PendingRequest*>(cls);
    if (!key)
        return MHD_YES;
    std::string& value = pending->request.form[key];
    if (offset == 0 && !value.empty())
        return MHD_YES; // a repeated name: the first value counts
    value.append(data ? data : "", size);
    return MHD_YES;
}

MHD_Result on_query_argument(void* cls, MHD_ValueKind, const char* key, const char* value) {
    auto* request = static_cast<HttpRequest*>(cls);
    request->query.emplace_back(key ? key : "", value ? value : "");
    return MHD_YES;
}

std::string header(MHD_Connection* connection, const char* name) {
    const char* value = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, name);
    return value ? value : "";
}

MHD_Result send(MHD_Connection* connection, const HttpResponse& reply) {
    MHD_Response* response = MHD_create_response_from_buffer(
        reply.body.size(), const_cast<char*>(reply.body.data()), MHD_RESPMEM_MUST_COPY);
    if (!response)
        return MHD_NO;
    MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, reply.content_type.c_str());
    for (const auto& [name, value] : reply.headers)
        MHD_add_response_header(response, name.c_str(), value.c_str());
    const MHD_Result queued =
        MHD_queue_response(connection, static_cast<unsigned>(reply.status), response);
    MHD_destroy_response(response);
    return queued;
}

HttpResponse plain(int status, std::string text) {
    HttpResponse reply;
    reply.status = status;
    reply.content_type = "text/plain; charset=utf-8";
    reply.body = std::move(text) + "\n";
    reply.headers = {{"Cache-Control", "no-store"}, {"X-Content-Type-Options", "nosniff"}};
    return reply;
}

// host:port → the address to bind; IPv6 hosts in brackets.
Result<std::unique_ptr<addrinfo, AddrInfoDeleter>> listen_address(const std::string& listen) {
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == listen.size())
        return make_error(ErrorCode::invalid_input, "listen \"" + listen + "\" is not host:port");
    std::string host = listen.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    const std::string port = listen.substr(colon + 1);
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* found = nullptr;
    if (int rc = getaddrinfo(host.c_str(), port.c_str(), &hints, &found); rc != 0)
        return make_error(ErrorCode::invalid_input,
                          "listen \"" + listen + "\": " + gai_strerror(rc));
    return std::unique_ptr<addrinfo, AddrInfoDeleter>(found);
}

} // namespace

struct HttpServer::Impl {
    ServerLimits limits;
    Handler handler;
    std::unique_ptr<MHD_Daemon, DaemonDeleter> daemon;

    static MHD_Result on_request(void* cls, MHD_Connection* connection, const char* url,
                                 const char* method, const char*, const char* upload_data,
                                 size_t* upload_data_size, void** state) {
        auto* self = static_cast<Impl*>(cls);
        auto* pending = static_cast<PendingRequest*>(*state);
        if (!pending) { // the headers are in: look at them before any body
            auto fresh = std::make_unique<PendingRequest>();
            fresh->request.method = method;
            fresh->request.path = url;
            fresh->request.host = header(connection, "Host");
            fresh->request.authorization = header(connection, "Authorization");
            fresh->request.content_type = header(connection, "Content-Type");
            MHD_get_connection_values(connection, MHD_GET_ARGUMENT_KIND, &on_query_argument,
                                      &fresh->request);
            const char* length =
                MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "Content-Length");
            if (length && std::strtoull(length, nullptr, 10) > self->limits.max_body)
                fresh->too_large = true;
            else if (fresh->request.method == "POST")
                fresh->form_reader.reset(
                    MHD_create_post_processor(connection, 1024, &on_form_field, fresh.get()));
            const bool too_large = fresh->too_large;
            *state = fresh.release();
            // Answered before the body is read; the connection closes after.
            return too_large ? send(connection, plain(413, "Request too large")) : MHD_YES;
        }
        if (*upload_data_size > 0) {
            pending->body_bytes += *upload_data_size;
            // A body larger than it said (chunked), or one trickling in:
            // the connection is closed without an answer.
            if (pending->body_bytes > self->limits.max_body ||
                std::chrono::steady_clock::now() - pending->started > self->limits.request_timeout)
                return MHD_NO;
            if (pending->form_reader)
                MHD_post_process(pending->form_reader.get(), upload_data, *upload_data_size);
            else
                pending->request.body.append(upload_data, *upload_data_size);
            *upload_data_size = 0;
            return MHD_YES;
        }
        HttpResponse reply;
        try {
            reply = self->handler(pending->request);
        } catch (const std::exception&) {
            reply = plain(500, "Internal error");
        }
        return send(connection, reply);
    }

    static void on_completed(void*, MHD_Connection*, void** state, MHD_RequestTerminationCode) {
        delete static_cast<PendingRequest*>(*state);
        *state = nullptr;
    }
};

Result<std::unique_ptr<HttpServer>> HttpServer::start(const std::string& listen,
                                                      const ServerLimits& limits, Handler handler) {
    auto address = listen_address(listen);
    if (!address)
        return address.error();
    auto impl = std::make_unique<Impl>();
    impl->limits = limits;
    impl->handler = std::move(handler);
    const sockaddr* bind_to = (*address)->ai_addr;
    unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL;
    if (bind_to->sa_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    impl->daemon.reset(MHD_start_daemon(
        flags, 0, nullptr, nullptr, &Impl::on_request, impl.get(), MHD_OPTION_SOCK_ADDR, bind_to,
        MHD_OPTION_THREAD_POOL_SIZE, static_cast<unsigned int>(limits.threads),
        MHD_OPTION_CONNECTION_LIMIT, static_cast<unsigned int>(limits.max_connections),
        MHD_OPTION_CONNECTION_TIMEOUT, static_cast<unsigned int>(limits.request_timeout.count()),
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, limits.memory_per_connection,
        MHD_OPTION_STRICT_FOR_CLIENT, 1, MHD_OPTION_LISTENING_ADDRESS_REUSE, 1,
        MHD_OPTION_NOTIFY_COMPLETED, &Impl::on_completed, nullptr, MHD_OPTION_END));
    if (!impl->daemon)
        return make_error(ErrorCode::io, "cannot listen on " + listen +
                                             " (address in use, or not an address of this host)");
    return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
HttpServer::~HttpServer() = default;

unsigned short HttpServer::port() const {
    const MHD_DaemonInfo* info =
        MHD_get_daemon_info(m_impl->daemon.get(), MHD_DAEMON_INFO_BIND_PORT);
    return info ? info->port : 0;
}

} // namespace lr::http
