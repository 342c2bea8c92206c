#include "store/statement_sequence.hpp"

namespace lr::store {

Result<void> run_sequence(Connection& connection, StatementSequence& sequence) {
    std::optional<Rows> last;
    while (auto statement = sequence.next(last ? &*last : nullptr)) {
        auto rows = connection.exec(*statement);
        if (!rows) {
            (void)connection.exec("ROLLBACK");
            return rows.error();
        }
        last = std::move(rows).value();
    }
    return {};
}

} // namespace lr::store
