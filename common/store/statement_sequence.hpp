// A unit of database work as a sequence of statements: the runner executes
// each statement next() hands out and feeds its rows back, so the same
// logic runs blocking (run_sequence: leadctl, tests) or on leadd's event
// loop. A sequence begins and commits its own transaction; on an error the
// runner rolls back, and nothing of it is kept.
#pragma once

#include "store/pg.hpp"

#include <optional>

namespace lr::store {

class StatementSequence {
public:
    virtual ~StatementSequence() = default;
    // The next statement; previous holds the rows of the last one (null on
    // the first call). nullopt: done.
    virtual std::optional<Statement> next(const Rows* previous) = 0;
};

Result<void> run_sequence(Connection& connection, StatementSequence& sequence);

} // namespace lr::store
