#include "store/pg.hpp"

#include <atomic>
#include <cstdlib>
#include <iostream>

namespace lr::store {

namespace {

std::string server_message(PGconn* conn) {
    std::string message = PQerrorMessage(conn);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' '))
        message.pop_back();
    return message;
}

void notice_to_stderr(const std::string& severity, const std::string& message) {
    std::cerr << "database " << severity << ": " << message << "\n";
}

std::atomic<NoticeHandler> notice_handler{&notice_to_stderr};

void receive_notice(void*, const PGresult* result) {
    const char* severity = PQresultErrorField(result, PG_DIAG_SEVERITY_NONLOCALIZED);
    const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
    std::string message = primary ? primary : PQresultErrorMessage(result);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' '))
        message.pop_back();
    notice_handler.load()(severity ? severity : "NOTICE", message);
}

} // namespace

void set_notice_handler(NoticeHandler handler) {
    notice_handler.store(handler ? handler : &notice_to_stderr);
}

void route_notices(PGconn* conn) {
    PQsetNoticeReceiver(conn, &receive_notice, nullptr);
}

Error query_error(PGconn* conn, const PGresult* result, std::string_view sql) {
    std::string message = result ? PQresultErrorMessage(result) : server_message(conn);
    while (!message.empty() && message.back() == '\n')
        message.pop_back();
    std::string statement(sql.substr(0, 60));
    for (char& c : statement)
        if (c == '\n')
            c = ' ';
    return make_error(ErrorCode::database, "database: " + message + " (in: " + statement +
                                               (sql.size() > 60 ? "…" : "") + ")");
}

std::string Rows::text(int row, int column) const {
    return PQgetvalue(m_result.get(), row, column);
}

std::optional<std::string> Rows::optional_text(int row, int column) const {
    if (is_null(row, column))
        return std::nullopt;
    return text(row, column);
}

long long Rows::integer(int row, int column) const {
    return std::strtoll(PQgetvalue(m_result.get(), row, column), nullptr, 10);
}

bool Rows::boolean(int row, int column) const {
    return PQgetvalue(m_result.get(), row, column)[0] == 't';
}

long long Rows::affected() const {
    return std::strtoll(PQcmdTuples(m_result.get()), nullptr, 10);
}

Result<Connection> Connection::open(const std::string& conninfo) {
    PGconn* raw = PQconnectdb(conninfo.c_str());
    Connection connection(raw);
    if (!raw)
        return make_error(ErrorCode::database, "database: out of memory connecting");
    if (PQstatus(raw) != CONNECTION_OK)
        return make_error(ErrorCode::database,
                          "database: cannot connect (" + server_message(raw) + ")");
    route_notices(raw);
    return connection;
}

Connection Connection::adopt(PGconn* conn) {
    route_notices(conn);
    return Connection(conn);
}

Result<Rows> Connection::exec(std::string_view sql, const std::vector<Param>& params) {
    return exec(sql, params, {});
}

namespace {

struct ParamArrays {
    std::vector<const char*> values;
    std::vector<int> lengths;
    std::vector<int> formats;
};

ParamArrays param_arrays(const std::vector<Param>& params, const std::vector<size_t>& binary) {
    ParamArrays arrays;
    arrays.lengths.assign(params.size(), 0);
    arrays.formats.assign(params.size(), 0);
    arrays.values.reserve(params.size());
    for (const auto& param : params)
        arrays.values.push_back(param ? param.data() : nullptr);
    auto as_binary = [&](size_t index) {
        arrays.formats.at(index) = 1;
        arrays.lengths.at(index) = params[index] ? static_cast<int>(params[index].size()) : 0;
    };
    for (size_t index : binary)
        as_binary(index);
    for (size_t index = 0; index < params.size(); ++index)
        if (params[index].is_borrowed())
            as_binary(index);
    return arrays;
}

// The result of a statement, owned, or the error it reports (also for a
// null result: the connection failed).
Result<Rows> checked(PGconn* conn, PGresult* result, std::string_view sql) {
    Rows rows(result);
    auto status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        return query_error(conn, result, sql);
    return rows;
}

} // namespace

Result<Rows> Connection::exec(std::string_view sql, const std::vector<Param>& params,
                              const std::vector<size_t>& binary) {
    auto arrays = param_arrays(params, binary);
    std::string statement(sql);
    PGresult* result =
        PQexecParams(m_conn.get(), statement.c_str(), static_cast<int>(params.size()), nullptr,
                     arrays.values.data(), arrays.lengths.data(), arrays.formats.data(), 0);
    return checked(m_conn.get(), result, sql);
}

Result<std::string> Connection::prepared_name(const std::string& sql, int param_count) {
    auto known = m_prepared.find(sql);
    if (known == m_prepared.end()) {
        std::string name = "lr" + std::to_string(m_prepared.size());
        Rows prepared(PQprepare(m_conn.get(), name.c_str(), sql.c_str(), param_count, nullptr));
        if (!prepared.raw() || PQresultStatus(prepared.raw()) != PGRES_COMMAND_OK)
            return query_error(m_conn.get(), prepared.raw(), sql);
        known = m_prepared.emplace(sql, std::move(name)).first;
    }
    return known->second;
}

Result<Rows> Connection::exec_prepared(const std::string& sql, const std::vector<Param>& params,
                                       const std::vector<size_t>& binary) {
    if (!m_prepare)
        return exec(sql, params, binary);
    auto name = prepared_name(sql, static_cast<int>(params.size()));
    if (!name)
        return name.error();
    auto arrays = param_arrays(params, binary);
    PGresult* result =
        PQexecPrepared(m_conn.get(), name->c_str(), static_cast<int>(params.size()),
                       arrays.values.data(), arrays.lengths.data(), arrays.formats.data(), 0);
    return checked(m_conn.get(), result, sql);
}

Result<std::vector<Rows>>
Connection::exec_prepared_batch(const std::string& sql,
                                const std::vector<std::vector<Param>>& param_sets,
                                const std::vector<size_t>& binary) {
    if (param_sets.empty())
        return std::vector<Rows>();
    std::string name;
    if (m_prepare) {
        auto prepared = prepared_name(sql, static_cast<int>(param_sets.front().size()));
        if (!prepared)
            return prepared.error();
        name = std::move(prepared).value();
    }
    PGconn* conn = m_conn.get();
    if (PQenterPipelineMode(conn) != 1)
        return query_error(conn, nullptr, sql);
    // Every result is read, also after an error, so the connection leaves
    // pipeline mode clean (or is found broken and dropped by its owner).
    std::optional<Error> failed;
    size_t sent = 0;
    for (const auto& params : param_sets) {
        auto arrays = param_arrays(params, binary);
        const int count = static_cast<int>(params.size());
        const int queued =
            m_prepare ? PQsendQueryPrepared(conn, name.c_str(), count, arrays.values.data(),
                                            arrays.lengths.data(), arrays.formats.data(), 0)
                      : PQsendQueryParams(conn, sql.c_str(), count, nullptr, arrays.values.data(),
                                          arrays.lengths.data(), arrays.formats.data(), 0);
        if (queued != 1) {
            failed = query_error(conn, nullptr, sql);
            break;
        }
        ++sent;
    }
    std::vector<Rows> out;
    if (PQpipelineSync(conn) != 1) {
        PQexitPipelineMode(conn);
        return failed ? *failed : query_error(conn, nullptr, sql);
    }
    for (size_t index = 0; index < sent; ++index) {
        PGresult* result = PQgetResult(conn);
        if (!result) { // the connection broke
            failed = failed ? failed : query_error(conn, nullptr, sql);
            break;
        }
        Rows rows(result);
        const auto status = PQresultStatus(result);
        if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK)
            out.push_back(std::move(rows));
        else if (!failed && status != PGRES_PIPELINE_ABORTED)
            failed = query_error(conn, result, sql);
        while (PGresult* rest = PQgetResult(conn)) // the end of this statement's results
            PQclear(rest);
    }
    // Up to the synchronization point, where the transaction commits: only
    // a result there says it did (a commit error comes just before it).
    bool committed = false;
    while (PGresult* result = PQgetResult(conn)) {
        Rows rows(result);
        const auto status = PQresultStatus(result);
        if (status == PGRES_PIPELINE_SYNC) {
            committed = true;
            break;
        }
        if (status == PGRES_FATAL_ERROR && !failed)
            failed = query_error(conn, result, sql);
    }
    PQexitPipelineMode(conn);
    if (failed)
        return *failed;
    if (!committed)
        return query_error(conn, nullptr, sql);
    return out;
}

Result<void> Connection::exec_script(std::string_view sql) {
    std::string statement(sql);
    if (auto rows = checked(m_conn.get(), PQexec(m_conn.get(), statement.c_str()), sql); !rows)
        return rows.error();
    return {};
}

Result<Transaction> Transaction::begin(Connection& connection) {
    auto rows = connection.exec("BEGIN");
    if (!rows)
        return rows.error();
    return Transaction(connection);
}

Transaction::Transaction(Transaction&& other) noexcept
    : m_connection(other.m_connection), m_open(other.m_open) {
    other.m_open = false;
}

Transaction::~Transaction() {
    if (m_open)
        (void)m_connection->exec("ROLLBACK");
}

Result<void> Transaction::commit() {
    m_open = false;
    auto rows = m_connection->exec("COMMIT");
    if (!rows)
        return rows.error();
    return {};
}

Result<Savepoint> Savepoint::begin(Transaction& transaction) {
    auto rows = transaction.connection().exec("SAVEPOINT lr_action");
    if (!rows)
        return rows.error();
    return Savepoint(transaction.connection());
}

Savepoint::Savepoint(Savepoint&& other) noexcept
    : m_connection(other.m_connection), m_open(other.m_open) {
    other.m_open = false;
}

Savepoint::~Savepoint() {
    if (m_open && m_connection->exec("ROLLBACK TO SAVEPOINT lr_action"))
        (void)m_connection->exec("RELEASE SAVEPOINT lr_action");
}

Result<void> Savepoint::release() {
    m_open = false;
    auto rows = m_connection->exec("RELEASE SAVEPOINT lr_action");
    if (!rows)
        return rows.error();
    return {};
}

} // namespace lr::store
