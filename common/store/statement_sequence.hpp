// A unit of database work as a sequence of statements: the runner executes
// each statement next() hands out and feeds its rows back, so the same
// logic runs blocking (run_sequence: leadctl, tests) or on leadd's event
// loop (AsyncConnection::run_transaction).
//
// A sequence is the body of exactly one transaction and never controls it:
// the runner sends BEGIN before the first statement and COMMIT after the
// last, and rolls back on any error, so nothing of a failed sequence is
// kept. A statement that would begin, commit or roll back by itself is
// refused by both runners (controls_transaction), so one sequence cannot
// end another's transaction or open a second one.
#pragma once

#include "store/pg.hpp"

#include <optional>
#include <string_view>

namespace lr::store {

class StatementSequence {
public:
    virtual ~StatementSequence() = default;
    // The next statement; previous holds the rows of the last one (null on
    // the first call). nullopt: done, the runner commits.
    virtual std::optional<Statement> next(const Rows* previous) = 0;
};

// True for BEGIN, START TRANSACTION, COMMIT, END, ROLLBACK, ABORT and
// their kin: statements only a runner may send.
bool controls_transaction(std::string_view sql);

// BEGIN, the sequence, COMMIT on a blocking connection; rolled back on error.
Result<void> run_sequence(Connection& connection, StatementSequence& sequence);

} // namespace lr::store
