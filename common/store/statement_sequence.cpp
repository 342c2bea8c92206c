#include "store/statement_sequence.hpp"

#include "util/strings.hpp"

#include <array>

namespace lr::store {

bool controls_transaction(std::string_view sql) {
    size_t start = sql.find_first_not_of(" \t\r\n");
    if (start == std::string_view::npos)
        return false;
    size_t end = sql.find_first_of(" \t\r\n;", start);
    const std::string word = util::to_lower(sql.substr(start, end - start));
    static constexpr std::array<std::string_view, 8> words = {
        "begin", "start", "commit", "end", "rollback", "abort", "savepoint", "release"};
    for (auto control : words)
        if (word == control)
            return true;
    return false;
}

Result<void> run_sequence(Connection& connection, StatementSequence& sequence) {
    auto transaction = Transaction::begin(connection);
    if (!transaction)
        return transaction.error();
    std::optional<Rows> last;
    while (auto statement = sequence.next(last ? &*last : nullptr)) {
        if (controls_transaction(statement->sql))
            return make_error(ErrorCode::internal,
                              "database: a statement sequence tried to control its transaction "
                              "(in: " +
                                  statement->sql.substr(0, 40) + ")");
        auto rows = connection.exec(*statement);
        if (!rows)
            return rows.error(); // the transaction's destructor rolls back
        last = std::move(rows).value();
    }
    return transaction->commit();
}

} // namespace lr::store
