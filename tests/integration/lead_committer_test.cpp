// Group commit of new leads (milter/lead_committer.hpp) against a real
// PostgreSQL: leads that arrive while a commit runs are committed together
// in one transaction, each caller gets its own result, a retry within the
// batch is stored once, and one bad message does not fail the others.
#include "lead_committer.hpp"
#include "process.hpp"
#include "test_database.hpp"

#include <catch2/catch.hpp>
#include <memory>
#include <thread>

using namespace lr;

namespace {

struct Lead {
    // The bytes the message borrows, on the heap so that copying a Lead
    // keeps them where the view points.
    std::shared_ptr<const std::string> raw;
    store::InboundMessage message;
    store::NewLead lead;
};

Lead new_lead(const std::string& name, const std::string& message_id) {
    Lead out;
    out.message.dealer_id = "mueller";
    out.message.location_id = "hamburg";
    out.message.queue_id = "Q" + name;
    out.message.message_id = message_id;
    out.message.envelope_from = "website@autohaus-mueller.example";
    out.message.recipients = {"<mueller@dein.auto>"};
    out.raw = std::make_shared<const std::string>("Subject: " + name + "\r\n\r\nHallo\r\n");
    out.message.raw = *out.raw;
    out.message.classification_json = "{\"kind\": \"lead\"}";
    out.message.received_at =
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    out.lead.kind = "lead";
    out.lead.source = "website";
    out.lead.email = name + "@example.org";
    out.lead.vehicle_json = "{}";
    out.lead.trade_in_json = "null";
    return out;
}

using Stored = Result<std::optional<store::StoredLead>>;

// Stores leads[0] while its INSERT waits for a table lock, lets the other
// leads queue up behind that commit, then releases the lock: the others
// reach the committer together. The results in the order of `leads`.
std::vector<std::optional<Stored>> store_behind_a_held_commit(test::TestDatabase& db,
                                                              const std::vector<Lead>& leads) {
    store::ConnectionPool pool(db.conninfo(), 8);
    milter::LeadCommitter committer(pool);
    std::vector<std::optional<Stored>> results(leads.size());
    std::vector<std::thread> callers;
    struct JoinAll { // also when a REQUIRE fails, after the lock is gone
        std::vector<std::thread>& threads;
        ~JoinAll() {
            for (auto& thread : threads)
                if (thread.joinable())
                    thread.join();
        }
    } join_all{callers};
    auto blocker = db.connect(); // closed first on the way out: the lock goes
    REQUIRE(blocker.exec("BEGIN"));
    REQUIRE(blocker.exec("LOCK TABLE contacts IN EXCLUSIVE MODE"));

    auto store = [&](size_t index) {
        callers.emplace_back([&, index] {
            results[index] = committer.store(leads[index].message, leads[index].lead);
        });
    };
    store(0);
    REQUIRE(test::eventually(
        [&] {
            return db.exec("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                           "AND datname = current_database()")
                       .integer(0, 0) == 1;
        },
        std::chrono::seconds(10)));
    for (size_t index = 1; index < leads.size(); ++index) {
        store(index);
        REQUIRE(test::eventually([&] { return committer.waiting() == index; },
                                 std::chrono::seconds(10)));
    }
    REQUIRE(blocker.exec("COMMIT"));
    for (auto& caller : callers)
        caller.join();
    return results;
}

std::string xmin_of(test::TestDatabase& db, long long lead_id) {
    return db.exec("SELECT xmin::text FROM messages WHERE lead_id = $1", {std::to_string(lead_id)})
        .text(0, 0);
}

} // namespace

TEST_CASE("group commit: leads arriving during a commit go together in one transaction, each "
          "caller gets its own lead, the same Message-ID twice is stored once",
          "[milter][store][group-commit]") {
    test::TestDatabase db;
    const std::vector<Lead> leads = {new_lead("first", "<a@x>"), new_lead("second", "<b@x>"),
                                     new_lead("third", "<c@x>"), new_lead("retry", "<c@x>")};
    auto results = store_behind_a_held_commit(db, leads);

    for (size_t i = 0; i < 3; ++i) {
        INFO(i);
        REQUIRE(results[i]);
        REQUIRE(*results[i]);
        REQUIRE(**results[i]);
        CHECK(db.exec("SELECT queue_id FROM messages WHERE id = $1",
                      {std::to_string((***results[i]).message_row)})
                  .text(0, 0) == leads[i].message.queue_id);
    }
    REQUIRE(results[3]);
    REQUIRE(*results[3]);
    CHECK_FALSE(**results[3]); // stored before, in the same batch
    // The first alone, the three behind it in one transaction.
    const auto second = xmin_of(db, (***results[1]).lead_id);
    CHECK(xmin_of(db, (***results[2]).lead_id) == second);
    CHECK(xmin_of(db, (***results[0]).lead_id) != second);
    CHECK(db.exec("SELECT count(*) FROM leads").integer(0, 0) == 3);
}

TEST_CASE("group commit: a message the database refuses fails alone, the others of its batch "
          "are stored",
          "[milter][store][group-commit]") {
    test::TestDatabase db;
    std::vector<Lead> leads = {new_lead("first", "<a@x>"), new_lead("good", "<b@x>"),
                               new_lead("bad", "<c@x>"), new_lead("also-good", "<d@x>")};
    leads[2].message.classification_json = "{not json";
    auto results = store_behind_a_held_commit(db, leads);

    REQUIRE(results[2]);
    CHECK_FALSE(*results[2]);
    CHECK(results[2]->error().message.find("json") != std::string::npos);
    for (size_t i : {0, 1, 3}) {
        INFO(i);
        REQUIRE(results[i]);
        REQUIRE(*results[i]);
        CHECK(**results[i]);
    }
    CHECK(db.exec("SELECT count(*) FROM leads").integer(0, 0) == 3);
    CHECK(db.exec("SELECT count(*) FROM messages WHERE queue_id = 'Qbad'").integer(0, 0) == 0);
}

TEST_CASE("the milter's pool opens at most its maximum, a thread that finds all in use waits, "
          "then is refused, a connection given back or discarded frees a place",
          "[milter][pool][attack]") {
    test::TestDatabase db;
    store::ConnectionPool pool(db.conninfo(), 2, std::chrono::milliseconds(300));
    std::optional<store::PooledConnection> first, second;
    {
        auto a = pool.take();
        auto b = pool.take();
        REQUIRE(a);
        REQUIRE(b);
        first.emplace(std::move(*a));
        second.emplace(std::move(*b));
    }
    CHECK(pool.open_connections() == 2);
    const auto started = std::chrono::steady_clock::now();
    auto third = pool.take();
    REQUIRE_FALSE(third);
    CHECK(std::chrono::steady_clock::now() - started >= std::chrono::milliseconds(300));
    CHECK(third.error().message == "database: all 2 connections of the milter are busy (waited "
                                   "300 ms)");
    // Given back from another thread while one waits: the waiter gets it.
    std::thread giver([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        first.reset();
    });
    auto reused = pool.take();
    giver.join();
    REQUIRE(reused);
    CHECK(pool.open_connections() == 2);
    second->discard();
    second.reset(); // closed, not kept
    CHECK(pool.open_connections() == 1);
    CHECK((*reused)->exec("SELECT 1"));
}

TEST_CASE("a pooled connection gives up on a statement after 20 s and never JIT-compiles",
          "[pool]") {
    test::TestDatabase db;
    store::ConnectionPool pool(db.conninfo(), 1);
    auto connection = pool.take();
    REQUIRE(connection);
    CHECK((*connection)->exec("SHOW statement_timeout")->text(0, 0) == "20s");
    CHECK((*connection)->exec("SHOW jit")->text(0, 0) == "off");
}
