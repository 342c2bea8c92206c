// Runs a StatementSequence on the event loop's AsyncConnection: each
// statement is sent when the previous one's rows are in. On an error the
// transaction is rolled back and done() gets the error.
#pragma once

#include "async_pg.hpp"
#include "store/statement_sequence.hpp"

#include <functional>
#include <memory>

namespace lr::daemon {

void run_async(AsyncConnection& connection, std::shared_ptr<store::StatementSequence> sequence,
               std::function<void(Result<void>)> done);

} // namespace lr::daemon
