// The benchmark's baseline milter: registers every callback, negotiates
// nothing away, accepts everything. What any milter costs Postfix before
// it does any work.
//
//   null_milter SOCKET [CONNINFO]
//
// With CONNINFO it also stores every message (headers and body) with one
// INSERT, committed durably before it answers the end of the message, in
// table bench_raw: what a milter costs that only does what leadmilter
// must do at the least, next to a protocol cost like the null milter's.
#include <cstdio>
#include <libmilter/mfapi.h>
#include <libpq-fe.h>
#include <memory>
#include <mutex>
#include <string>
#include <sys/stat.h>
#include <vector>

namespace {

struct PgConnDeleter {
    void operator()(PGconn* connection) const { PQfinish(connection); }
};
struct PgResultDeleter {
    void operator()(PGresult* result) const { PQclear(result); }
};

const char* g_conninfo = nullptr;

std::string* message_of(SMFICTX* ctx) {
    return static_cast<std::string*>(smfi_getpriv(ctx));
}

void append(SMFICTX* ctx, const char* data, size_t length) {
    if (!g_conninfo)
        return;
    std::string* message = message_of(ctx);
    if (!message) {
        auto owned = std::make_unique<std::string>();
        message = owned.get();
        smfi_setpriv(ctx, owned.release()); // taken back in on_close
    }
    message->append(data, length);
}

// Connections kept between messages (libmilter's worker threads come and
// go, so not one per thread: each new backend costs PostgreSQL
// milliseconds of CPU).
class Pool {
public:
    std::unique_ptr<PGconn, PgConnDeleter> take() {
        {
            std::lock_guard lock(m_mutex);
            if (!m_idle.empty()) {
                auto connection = std::move(m_idle.back());
                m_idle.pop_back();
                return connection;
            }
        }
        return std::unique_ptr<PGconn, PgConnDeleter>(PQconnectdb(g_conninfo));
    }
    void give_back(std::unique_ptr<PGconn, PgConnDeleter> connection) {
        if (PQstatus(connection.get()) != CONNECTION_OK)
            return;
        std::lock_guard lock(m_mutex);
        m_idle.push_back(std::move(connection));
    }

private:
    std::mutex m_mutex;
    std::vector<std::unique_ptr<PGconn, PgConnDeleter>> m_idle;
};
Pool g_pool;

sfsistat cont(SMFICTX*) {
    return SMFIS_CONTINUE;
}
sfsistat on_connect(SMFICTX*, char*, _SOCK_ADDR*) {
    return SMFIS_CONTINUE;
}
sfsistat on_text(SMFICTX*, char*) {
    return SMFIS_CONTINUE;
}
sfsistat on_unknown(SMFICTX*, const char*) {
    return SMFIS_CONTINUE;
}
sfsistat on_args(SMFICTX*, char**) {
    return SMFIS_CONTINUE;
}
sfsistat on_header(SMFICTX* ctx, char* name, char* value) {
    const std::string line = std::string(name) + ": " + value + "\r\n";
    append(ctx, line.data(), line.size());
    return SMFIS_CONTINUE;
}
sfsistat on_body(SMFICTX* ctx, unsigned char* chunk, size_t length) {
    append(ctx, reinterpret_cast<const char*>(chunk), length);
    return SMFIS_CONTINUE;
}
sfsistat on_eom(SMFICTX* ctx) {
    std::string* message = message_of(ctx);
    if (!g_conninfo || !message)
        return SMFIS_ACCEPT;
    const char* queue_id = smfi_getsymval(ctx, const_cast<char*>("i"));
    const char* values[] = {queue_id ? queue_id : "", message->data()};
    const int lengths[] = {0, static_cast<int>(message->size())};
    const int formats[] = {0, 1};
    auto connection = g_pool.take();
    std::unique_ptr<PGresult, PgResultDeleter> result(
        PQexecParams(connection.get(), "INSERT INTO bench_raw (queue_id, raw) VALUES ($1, $2)", 2,
                     nullptr, values, lengths, formats, 0));
    message->clear();
    const bool stored = PQresultStatus(result.get()) == PGRES_COMMAND_OK;
    g_pool.give_back(std::move(connection));
    return stored ? SMFIS_ACCEPT : SMFIS_TEMPFAIL;
}
sfsistat on_close(SMFICTX* ctx) {
    std::unique_ptr<std::string> owned(message_of(ctx));
    smfi_setpriv(ctx, nullptr);
    return SMFIS_CONTINUE;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2 && argc != 3) {
        std::fprintf(stderr, "usage: null_milter SOCKET [CONNINFO]\n");
        return 2;
    }
    if (argc == 3)
        g_conninfo = argv[2];
    smfiDesc description = {};
    description.xxfi_name = const_cast<char*>("null");
    description.xxfi_version = SMFI_VERSION;
    description.xxfi_connect = on_connect;
    description.xxfi_helo = on_text;
    description.xxfi_envfrom = on_args;
    description.xxfi_envrcpt = on_args;
    description.xxfi_header = on_header;
    description.xxfi_eoh = cont;
    description.xxfi_body = on_body;
    description.xxfi_eom = on_eom;
    description.xxfi_abort = cont;
    description.xxfi_close = on_close;
    description.xxfi_unknown = on_unknown;
    description.xxfi_data = cont;
    if (smfi_register(description) != MI_SUCCESS || smfi_setconn(argv[1]) != MI_SUCCESS ||
        smfi_setbacklog(256) != MI_SUCCESS || smfi_opensocket(true) != MI_SUCCESS)
        return 1;
    // A unix socket smtpd (user postfix) may write to, as leadmilter's.
    std::string spec = argv[1];
    if (spec.rfind("unix:", 0) == 0)
        chmod(spec.substr(5).c_str(), 0666);
    return smfi_main() == MI_SUCCESS ? 0 : 1;
}
