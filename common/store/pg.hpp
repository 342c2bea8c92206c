// A small RAII layer over libpq: a connection, results, parameterised
// queries only (values never go into SQL text), and transactions.
//
// Every failure comes back as an Error that names the statement's purpose
// and the server's message, so callers decide between retry and report.
#pragma once

#include "util/result.hpp"

#include <libpq-fe.h>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lr::store {

struct PgResultDeleter {
    void operator()(PGresult* result) const { PQclear(result); }
};
struct PgConnDeleter {
    void operator()(PGconn* conn) const { PQfinish(conn); }
};

// A query parameter: SQL NULL, text (owned), or bytes borrowed from a
// buffer that outlives the statement. Borrowed bytes always go to the
// server in binary format with their length, so they need no terminating
// NUL and are never copied: a 50 MB raw message stays one copy in the
// milter (issue #14).
class Param {
public:
    Param() = default;
    Param(std::nullopt_t) {}
    Param(std::string text) : m_owned(std::move(text)) {}
    Param(const char* text) : m_owned(std::string(text)) {}
    Param(std::optional<std::string> text) : m_owned(std::move(text)) {}
    static Param borrowed_bytes(std::string_view bytes) {
        Param param;
        param.m_borrowed = bytes;
        return param;
    }

    bool is_null() const { return !m_owned && !m_borrowed; }
    explicit operator bool() const { return !is_null(); }
    bool is_borrowed() const { return m_borrowed.has_value(); }
    // Owned text is NUL-terminated; borrowed bytes are not.
    const char* data() const { return m_borrowed ? m_borrowed->data() : m_owned->c_str(); }
    size_t size() const { return m_borrowed ? m_borrowed->size() : m_owned->size(); }
    std::string_view view() const { return {data(), size()}; }

private:
    std::optional<std::string> m_owned;
    std::optional<std::string_view> m_borrowed;
};

// A statement and its parameters, built apart from where it runs (blocking
// here, or on leadd's event loop).
struct Statement {
    std::string sql;
    std::vector<Param> params;
};

class Rows {
public:
    explicit Rows(PGresult* result) : m_result(result) {}

    int size() const { return PQntuples(m_result.get()); }
    bool empty() const { return size() == 0; }
    bool is_null(int row, int column) const { return PQgetisnull(m_result.get(), row, column); }
    std::string text(int row, int column) const;
    std::optional<std::string> optional_text(int row, int column) const;
    long long integer(int row, int column) const;
    bool boolean(int row, int column) const;
    long long affected() const; // rows changed by INSERT/UPDATE/DELETE
    PGresult* raw() const { return m_result.get(); }

private:
    std::unique_ptr<PGresult, PgResultDeleter> m_result;
};

class Connection {
public:
    static Result<Connection> open(const std::string& conninfo);
    // Takes over a connection that is already established (non-blocking
    // connect on an event loop).
    static Connection adopt(PGconn* conn);

    Result<Rows> exec(std::string_view sql, const std::vector<Param>& params = {});
    // The parameters at the indices in `binary` go as bytes (bytea without
    // hex encoding: half the size on the wire, no decoding on the server).
    Result<Rows> exec(std::string_view sql, const std::vector<Param>& params,
                      const std::vector<size_t>& binary);
    Result<Rows> exec(const Statement& statement) { return exec(statement.sql, statement.params); }
    // The same, as a prepared statement: parsed and planned once per
    // connection (named after its text), then only executed. For the
    // statements the milter runs for every message.
    Result<Rows> exec_prepared(const std::string& sql, const std::vector<Param>& params,
                               const std::vector<size_t>& binary = {});
    // The prepared statement once per parameter set, all sent at once and
    // run as one implicit transaction (libpq pipeline mode): one round trip
    // and one commit for all of them. All commit, or none does: on any
    // error nothing is written and the error comes back.
    Result<std::vector<Rows>> exec_prepared_batch(const std::string& sql,
                                                  const std::vector<std::vector<Param>>& param_sets,
                                                  const std::vector<size_t>& binary = {});
    // For statements with no parameters and several commands (migrations).
    Result<void> exec_script(std::string_view sql);
    // exec_prepared and exec_prepared_batch without named statements: each
    // is parsed with its parameters in the same round trip (the unnamed
    // statement), which a pooler that moves a client between server
    // connections after every transaction cannot break (PgBouncer < 1.21
    // in transaction pooling).
    void disable_prepared_statements() { m_prepare = false; }

    PGconn* raw() { return m_conn.get(); }

private:
    explicit Connection(PGconn* conn) : m_conn(conn) {}
    // The server-side name of sql, prepared on first use.
    Result<std::string> prepared_name(const std::string& sql, int param_count);
    std::unique_ptr<PGconn, PgConnDeleter> m_conn;
    std::map<std::string, std::string, std::less<>> m_prepared; // statement text -> name
    bool m_prepare = true;
};

// What the server says beside results (NOTICE, WARNING: "there is already
// a transaction in progress"). Our own sessions never expect one, so none is
// silenced: each goes to this handler. The programs pass their logger
// (leadd and leadmilter log at err); the default writes to stderr.
using NoticeHandler = void (*)(const std::string& severity, const std::string& message);
void set_notice_handler(NoticeHandler handler);
// Routes the notices of a connection made elsewhere (a non-blocking
// connect) to the handler; Connection::open does this itself.
void route_notices(PGconn* conn);

// The Error for a failed statement: the server's message and the start of
// the statement. result may be null (connection-level failure).
Error query_error(PGconn* conn, const PGresult* result, std::string_view sql);

// BEGIN on construction; ROLLBACK on destruction unless commit() succeeded.
class Transaction {
public:
    static Result<Transaction> begin(Connection& connection);
    Transaction(Transaction&& other) noexcept;
    Transaction& operator=(Transaction&&) = delete;
    ~Transaction();

    Result<void> commit();
    // The connection the transaction runs on: what a function that takes a
    // Transaction& runs its statements on, never a second BEGIN.
    Connection& connection() const { return *m_connection; }

private:
    explicit Transaction(Connection& connection) : m_connection(&connection) {}
    Connection* m_connection;
    bool m_open = true;
};

// A savepoint inside a transaction: an action that may be refused runs
// under one, so a refusal after some writes leaves the transaction as it
// was and the rest of it (the message that asked) still commits. Rolled
// back on destruction unless released.
class Savepoint {
public:
    static Result<Savepoint> begin(Transaction& transaction);
    Savepoint(Savepoint&& other) noexcept;
    Savepoint& operator=(Savepoint&&) = delete;
    ~Savepoint();

    Result<void> release();

private:
    explicit Savepoint(Connection& connection) : m_connection(&connection) {}
    Connection* m_connection;
    bool m_open = true;
};

} // namespace lr::store
