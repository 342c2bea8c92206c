#include "store/pg.hpp"

#include <cstdlib>

namespace lr::store {

namespace {

std::string server_message(PGconn* conn) {
    std::string message = PQerrorMessage(conn);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' '))
        message.pop_back();
    return message;
}

} // namespace

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
    // Server NOTICEs ("already exists, skipping") are not for the operator's
    // terminal; errors and warnings reach the caller through results.
    PQsetNoticeProcessor(
        raw, [](void*, const char*) {}, nullptr);
    return connection;
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
        arrays.values.push_back(param ? param->c_str() : nullptr);
    for (size_t index : binary) {
        arrays.formats.at(index) = 1;
        arrays.lengths.at(index) = params[index] ? static_cast<int>(params[index]->size()) : 0;
    }
    return arrays;
}

} // namespace

Result<Rows> Connection::exec(std::string_view sql, const std::vector<Param>& params,
                              const std::vector<size_t>& binary) {
    auto arrays = param_arrays(params, binary);
    std::string statement(sql);
    PGresult* result =
        PQexecParams(m_conn.get(), statement.c_str(), static_cast<int>(params.size()), nullptr,
                     arrays.values.data(), arrays.lengths.data(), arrays.formats.data(), 0);
    Rows rows(result);
    auto status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        return query_error(m_conn.get(), result, sql);
    return rows;
}

Result<Rows> Connection::exec_prepared(const std::string& sql, const std::vector<Param>& params,
                                       const std::vector<size_t>& binary) {
    auto known = m_prepared.find(sql);
    if (known == m_prepared.end()) {
        std::string name = "lr" + std::to_string(m_prepared.size());
        Rows prepared(PQprepare(m_conn.get(), name.c_str(), sql.c_str(),
                                static_cast<int>(params.size()), nullptr));
        if (!prepared.raw() || PQresultStatus(prepared.raw()) != PGRES_COMMAND_OK)
            return query_error(m_conn.get(), prepared.raw(), sql);
        known = m_prepared.emplace(sql, std::move(name)).first;
    }
    auto arrays = param_arrays(params, binary);
    PGresult* result =
        PQexecPrepared(m_conn.get(), known->second.c_str(), static_cast<int>(params.size()),
                       arrays.values.data(), arrays.lengths.data(), arrays.formats.data(), 0);
    Rows rows(result);
    auto status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        return query_error(m_conn.get(), result, sql);
    return rows;
}

Result<void> Connection::exec_script(std::string_view sql) {
    std::string statement(sql);
    PGresult* result = PQexec(m_conn.get(), statement.c_str());
    Rows rows(result); // owns it
    auto status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        return query_error(m_conn.get(), result, sql);
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

} // namespace lr::store
