// leadd's connection on the event loop (daemon/leadd/async_pg): whole
// units only, one after the other; a connect that never blocks the loop.
#include "async_pg.hpp"
#include "batch_loop.hpp"
#include "lead_seed.hpp"
#include "silent_server.hpp"

#include <catch2/catch.hpp>

using namespace lr;

namespace {

// Three statements, each noting which transaction it ran in.
class TransactionProbe : public store::StatementSequence {
public:
    TransactionProbe(std::string name, std::vector<std::pair<std::string, std::string>>& seen)
        : m_name(std::move(name)), m_seen(seen) {}
    std::optional<store::Statement> next(const store::Rows* previous) override {
        if (previous)
            m_seen.emplace_back(m_name, previous->text(0, 0));
        if (m_step++ == 3)
            return std::nullopt;
        return store::Statement{"SELECT txid_current()::text, pg_sleep(0.01)", {}};
    }

private:
    std::string m_name;
    std::vector<std::pair<std::string, std::string>>& m_seen;
    int m_step = 0;
};

// A test database, an event loop and leadd's connection to it, connecting.
struct LoopConnection {
    test::TestDatabase db;
    daemon::EventBase base{event_base_new()};
    bool ready = false;
    std::unique_ptr<daemon::AsyncConnection> connection = daemon::AsyncConnection::connect(
        base.get(), db.conninfo(), {[this] { ready = true; }, nullptr, nullptr});
};

void run_until(event_base* base, const std::function<bool()>& done) {
    while (!done())
        event_base_loop(base, EVLOOP_ONCE);
}

} // namespace

TEST_CASE("units queued at once on one connection run one after the other, each in its own "
          "transaction",
          "[leadd][async]") {
    LoopConnection setup;
    auto& [db, base, ready, connection] = setup;
    std::vector<std::pair<std::string, std::string>> seen;
    int finished = 0;
    // Queued before the connection is even up, all at once: the assigner,
    // the scheduler and the sender kicked by the same NOTIFY.
    for (const char* name : {"a", "b", "c"})
        connection->run_transaction(std::make_shared<TransactionProbe>(name, seen),
                                    [&](Result<void> done) {
                                        CHECK(done);
                                        ++finished;
                                    });
    std::optional<Result<store::Rows>> single;
    connection->run_statement({"SELECT 1", {}},
                              [&](Result<store::Rows> rows) { single.emplace(std::move(rows)); });
    run_until(base.get(), [&] { return finished == 3 && single; });
    CHECK(ready);
    REQUIRE(seen.size() == 9);
    for (size_t unit = 0; unit < 3; ++unit)
        for (size_t i = 0; i < 3; ++i) {
            CHECK(seen[unit * 3 + i].first == seen[unit * 3].first);   // not interleaved
            CHECK(seen[unit * 3 + i].second == seen[unit * 3].second); // one transaction
        }
    CHECK(seen[0].second != seen[3].second);
    CHECK(seen[3].second != seen[6].second);
    CHECK(*single);
}

TEST_CASE("a sequence that tries to commit by itself fails alone, the next unit runs normally",
          "[leadd][async]") {
    test::TestDatabase db;
    test::add_lead(db, {.email = "bleibt@example.org"});
    daemon::EventBase base(event_base_new());
    auto connection = daemon::AsyncConnection::connect(base.get(), db.conninfo(), {});
    struct Rogue : store::StatementSequence {
        int step = 0;
        std::optional<store::Statement> next(const store::Rows*) override {
            if (step++ == 0)
                return store::Statement{"UPDATE leads SET state = 'closed'", {}};
            if (step == 2)
                return store::Statement{"  commit", {}};
            return std::nullopt;
        }
    };
    std::optional<Result<void>> rogue;
    connection->run_transaction(std::make_shared<Rogue>(),
                                [&](Result<void> done) { rogue.emplace(std::move(done)); });
    std::optional<Result<store::Rows>> after;
    connection->run_statement({"SELECT state FROM leads", {}},
                              [&](Result<store::Rows> rows) { after.emplace(std::move(rows)); });
    run_until(base.get(), [&] { return rogue && after; });
    REQUIRE_FALSE(*rogue);
    CHECK(rogue->error().code == ErrorCode::internal);
    REQUIRE(*after);
    CHECK((*after)->text(0, 0) == "new"); // rolled back
}

TEST_CASE("connecting to a server that never answers does not block the loop and times out",
          "[leadd][async]") {
    test::SilentServer silent;
    const std::string conninfo = silent.conninfo(2);

    daemon::EventBase base(event_base_new());
    std::optional<Error> broken;
    auto connection = daemon::AsyncConnection::connect(
        base.get(), conninfo, {nullptr, [&](const Error& error) { broken = error; }, nullptr});
    // A watchdog-like tick every 100 ms must keep running meanwhile.
    int ticks = 0;
    daemon::Event tick(event_new(
        base.get(), -1, EV_PERSIST,
        [](evutil_socket_t, short, void* n) { ++*static_cast<int*>(n); }, &ticks));
    timeval interval{0, 100000};
    event_add(tick.get(), &interval);
    run_until(base.get(), [&] { return broken.has_value(); });
    CHECK(ticks >= 15);
    CHECK(broken->message.find("timed out") != std::string::npos);
    CHECK(connection->broken());
}

namespace {

// A loop whose batches always come back full, with a database connection
// that goes away while a batch ends (an outbox send finishing during an
// outage): the next batch must wait for the reconnect, not run on nothing.
class FullBatches : public daemon::BatchLoop {
public:
    using BatchLoop::BatchLoop;
    int batches = 0;

protected:
    void run_batch() override {
        ++batches;
        set_connection(nullptr); // the connection was lost meanwhile
        batch_done(batches < 3); // full (at most three, whatever the code does)
    }
};

} // namespace

TEST_CASE("a batch loop whose connection went away while a batch ended starts no next batch "
          "until it is kicked again on a connection",
          "[leadd][async]") {
    LoopConnection setup;
    auto& [db, base, ready, connection] = setup;
    run_until(base.get(), [&] { return ready; });
    FullBatches loop(base.get());
    loop.set_connection(connection.get());
    loop.kick();
    CHECK(loop.batches == 1); // before the fix: a second batch on a null connection
    CHECK_FALSE(loop.running());
    loop.kick(); // no connection: nothing runs
    CHECK(loop.batches == 1);
    loop.set_connection(connection.get());
    loop.kick();
    CHECK(loop.batches == 2);
}
