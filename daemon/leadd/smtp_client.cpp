#include "smtp_client.hpp"

#include <cctype>
#include <cstring>

namespace lr::daemon {

struct SmtpClient::Transfer {
    struct EasyCleanup {
        void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
    };
    struct ListFree {
        void operator()(curl_slist* list) const { curl_slist_free_all(list); }
    };

    std::unique_ptr<CURL, EasyCleanup> easy;
    std::unique_ptr<curl_slist, ListFree> recipients;
    SmtpJob job;
    size_t sent = 0;
    // The server's last 4xx or 5xx reply: what refused the mail. A later
    // "221 Bye" must not hide it, nor a "220 Ready to start TLS" hide a
    // failed certificate check (then curl's error says what happened).
    std::string error_reply;
    long error_code = 0;
    char error[CURL_ERROR_SIZE] = {};
    Done done;

    static size_t read(char* buffer, size_t size, size_t count, void* self) {
        auto* transfer = static_cast<Transfer*>(self);
        size_t n = std::min(size * count, transfer->job.message.size() - transfer->sent);
        std::memcpy(buffer, transfer->job.message.data() + transfer->sent, n);
        transfer->sent += n;
        return n;
    }

    // libcurl hands SMTP server replies to the header callback.
    static size_t header(char* buffer, size_t size, size_t count, void* self) {
        auto* transfer = static_cast<Transfer*>(self);
        std::string line(buffer, size * count);
        while (!line.empty() && (line.back() == '\n' || line.back() == '\r'))
            line.pop_back();
        if (line.size() >= 3 && (line[0] == '4' || line[0] == '5') &&
            std::isdigit(static_cast<unsigned char>(line[1])) &&
            std::isdigit(static_cast<unsigned char>(line[2]))) {
            transfer->error_reply = line;
            transfer->error_code = std::stol(line.substr(0, 3));
        }
        return size * count;
    }
};

namespace {

void apply_security(CURL* easy, const SmtpJob& job) {
    const core::SmtpSecurity& security = job.security;
    switch (security.tls) {
    case core::SmtpTls::none:
        curl_easy_setopt(easy, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_NONE));
        break;
    case core::SmtpTls::opportunistic:
        // Postfix's "may": encrypted against a passive listener, not checked.
        curl_easy_setopt(easy, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
        curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 0L);
        break;
    case core::SmtpTls::required:
        curl_easy_setopt(easy, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
        curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
        curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
        break;
    }
    if (security.ca_file)
        curl_easy_setopt(easy, CURLOPT_CAINFO, security.ca_file->c_str());
    if (security.client_cert && security.client_key) {
        curl_easy_setopt(easy, CURLOPT_SSLCERT, security.client_cert->c_str());
        curl_easy_setopt(easy, CURLOPT_SSLKEY, security.client_key->c_str());
    }
    if (!job.username.empty()) {
        curl_easy_setopt(easy, CURLOPT_USERNAME, job.username.c_str());
        curl_easy_setopt(easy, CURLOPT_PASSWORD, job.password.c_str());
    }
}

} // namespace

SmtpClient::SmtpClient(event_base* base) : m_base(base), m_multi(curl_multi_init()) {
    m_timer.reset(evtimer_new(m_base, &SmtpClient::on_timeout, this));
    curl_multi_setopt(m_multi.get(), CURLMOPT_SOCKETFUNCTION, &SmtpClient::on_socket);
    curl_multi_setopt(m_multi.get(), CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(m_multi.get(), CURLMOPT_TIMERFUNCTION, &SmtpClient::on_timer);
    curl_multi_setopt(m_multi.get(), CURLMOPT_TIMERDATA, this);
}

SmtpClient::~SmtpClient() {
    for (auto& [easy, transfer] : m_transfers)
        curl_multi_remove_handle(m_multi.get(), easy);
    m_transfers.clear();
    m_socket_events.clear();
}

void SmtpClient::send(SmtpJob job, Done done) {
    auto transfer = std::make_unique<Transfer>();
    transfer->job = std::move(job);
    transfer->done = std::move(done);
    transfer->easy.reset(curl_easy_init());
    CURL* easy = transfer->easy.get();
    for (const auto& recipient : transfer->job.recipients)
        transfer->recipients.reset(
            curl_slist_append(transfer->recipients.release(), recipient.c_str()));
    const std::string url = "smtp://" + transfer->job.server;
    curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
    curl_easy_setopt(easy, CURLOPT_MAIL_FROM, ("<" + transfer->job.mail_from + ">").c_str());
    curl_easy_setopt(easy, CURLOPT_MAIL_RCPT, transfer->recipients.get());
    curl_easy_setopt(easy, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(easy, CURLOPT_READFUNCTION, &Transfer::read);
    curl_easy_setopt(easy, CURLOPT_READDATA, transfer.get());
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &Transfer::header);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, transfer.get());
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, transfer->error);
    apply_security(easy, transfer->job);
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT, 15L);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT, transfer->job.timeout_seconds);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_PRIVATE, transfer.get());
    m_transfers.emplace(easy, std::move(transfer));
    curl_multi_add_handle(m_multi.get(), easy);
}

int SmtpClient::on_socket(CURL*, curl_socket_t fd, int what, void* self, void*) {
    auto* client = static_cast<SmtpClient*>(self);
    if (what == CURL_POLL_REMOVE) {
        client->m_socket_events.erase(fd);
        return 0;
    }
    short flags = EV_PERSIST;
    if (what & CURL_POLL_IN)
        flags |= EV_READ;
    if (what & CURL_POLL_OUT)
        flags |= EV_WRITE;
    auto& ev = client->m_socket_events[fd];
    if (ev) {
        // Re-assigned in place: this may run inside that event's own callback.
        event_del(ev.get());
        event_assign(ev.get(), client->m_base, fd, flags, &SmtpClient::on_event, client);
    } else {
        ev.reset(event_new(client->m_base, fd, flags, &SmtpClient::on_event, client));
    }
    event_add(ev.get(), nullptr);
    return 0;
}

int SmtpClient::on_timer(CURLM*, long timeout_ms, void* self) {
    auto* client = static_cast<SmtpClient*>(self);
    if (timeout_ms < 0) {
        evtimer_del(client->m_timer.get());
        return 0;
    }
    timeval delay{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    evtimer_add(client->m_timer.get(), &delay);
    return 0;
}

void SmtpClient::on_event(evutil_socket_t fd, short what, void* self) noexcept {
    auto* client = static_cast<SmtpClient*>(self);
    int flags =
        ((what & EV_READ) ? CURL_CSELECT_IN : 0) | ((what & EV_WRITE) ? CURL_CSELECT_OUT : 0);
    int running = 0;
    curl_multi_socket_action(client->m_multi.get(), fd, flags, &running);
    client->finish_done_transfers();
}

void SmtpClient::on_timeout(evutil_socket_t, short, void* self) noexcept {
    auto* client = static_cast<SmtpClient*>(self);
    int running = 0;
    curl_multi_socket_action(client->m_multi.get(), CURL_SOCKET_TIMEOUT, 0, &running);
    client->finish_done_transfers();
}

void SmtpClient::finish_done_transfers() {
    int left = 0;
    while (CURLMsg* message = curl_multi_info_read(m_multi.get(), &left)) {
        if (message->msg != CURLMSG_DONE)
            continue;
        CURL* easy = message->easy_handle;
        CURLcode result = message->data.result;
        curl_multi_remove_handle(m_multi.get(), easy);
        auto it = m_transfers.find(easy);
        if (it == m_transfers.end())
            continue;
        auto transfer = std::move(it->second);
        m_transfers.erase(it);

        SmtpOutcome outcome;
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &outcome.code);
        outcome.delivered = result == CURLE_OK;
        if (!outcome.delivered && transfer->error_code != 0)
            outcome.code = transfer->error_code;
        outcome.permanent = !outcome.delivered && result != CURLE_LOGIN_DENIED &&
                            outcome.code >= 500 && outcome.code < 600;
        if (!outcome.delivered)
            outcome.detail =
                transfer->error_reply.empty()
                    ? std::string(transfer->error[0] ? transfer->error : curl_easy_strerror(result))
                    : transfer->error_reply;
        transfer->done(outcome);
    }
}

} // namespace lr::daemon
