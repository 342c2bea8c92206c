#include "sequence_runner.hpp"

namespace lr::daemon {

namespace {

struct Run : std::enable_shared_from_this<Run> {
    AsyncConnection& connection;
    std::shared_ptr<store::StatementSequence> sequence;
    std::function<void(Result<void>)> done;

    Run(AsyncConnection& c, std::shared_ptr<store::StatementSequence> s,
        std::function<void(Result<void>)> d)
        : connection(c), sequence(std::move(s)), done(std::move(d)) {}

    void step(const store::Rows* previous) {
        auto statement = sequence->next(previous);
        if (!statement) {
            done({});
            return;
        }
        connection.exec(
            std::move(*statement), [self = shared_from_this()](Result<store::Rows> rows) {
                if (!rows) {
                    if (!self->connection.broken())
                        self->connection.exec({"ROLLBACK", {}}, [](Result<store::Rows>) {});
                    self->done(rows.error());
                    return;
                }
                self->step(&rows.value());
            });
    }
};

} // namespace

void run_async(AsyncConnection& connection, std::shared_ptr<store::StatementSequence> sequence,
               std::function<void(Result<void>)> done) {
    std::make_shared<Run>(connection, std::move(sequence), std::move(done))->step(nullptr);
}

} // namespace lr::daemon
