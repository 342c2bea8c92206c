// PgBouncer in front of PostgreSQL (issue #20), with Debian 12's 1.18:
// the configuration that works is the milter on a transaction pool with
// system.milter.prepared_statements: false, and leadd on a session pool
// (its LISTEN needs one server connection for as long as it listens).
#include "example_config.hpp"
#include "lead_seed.hpp"
#include "milter_process.hpp"
#include "pg_cluster.hpp"
#include "pgbouncer.hpp"
#include "postfix_instance.hpp"
#include "process.hpp"
#include "smtp_client.hpp"
#include "smtp_sink.hpp"
#include "test_database.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <thread>

using namespace lr;
using namespace std::chrono_literals;

namespace {

store::Connection open_or_fail(const std::string& conninfo) {
    auto connection = store::Connection::open(conninfo);
    INFO(conninfo);
    REQUIRE(connection);
    return std::move(connection).value();
}

} // namespace

TEST_CASE("PgBouncer 1.18 in transaction pooling: two clients on one server connection clash "
          "with named prepared statements, and do not without them",
          "[pgbouncer][store]") {
    test::TestDatabase db;
    // One server connection: every client's transactions run on it, so
    // what one client prepared is there for the next.
    test::PgBouncer bouncer(test::shared_cluster().dir(), db.name(), 1);
    auto first = open_or_fail(bouncer.transaction_conninfo());
    auto second = open_or_fail(bouncer.transaction_conninfo());
    const std::string one = "SELECT $1::int + 1";
    const std::string two = "SELECT $1::int + 2";

    SECTION("named: the second client's first statement is refused") {
        REQUIRE(first.exec_prepared(one, {"1"}));
        auto clash = second.exec_prepared(two, {"1"});
        REQUIRE_FALSE(clash);
        CHECK(clash.error().message.find("already exists") != std::string::npos);
    }
    SECTION("unnamed: each statement parsed with its parameters, both clients served") {
        first.disable_prepared_statements();
        second.disable_prepared_statements();
        for (int round = 0; round < 3; ++round) {
            auto a = first.exec_prepared(one, {std::to_string(round)});
            auto b = second.exec_prepared(two, {std::to_string(round)});
            REQUIRE(a);
            REQUIRE(b);
            CHECK(a->integer(0, 0) == round + 1);
            CHECK(b->integer(0, 0) == round + 2);
            auto batch = second.exec_prepared_batch(one, {{"10"}, {"20"}});
            REQUIRE(batch);
            REQUIRE(batch->size() == 2);
            CHECK((*batch)[1].integer(0, 0) == 21);
        }
    }
}

TEST_CASE("behind PgBouncer (milter: transaction pool, prepared_statements false, leadd: session "
          "pool): every mail stored once, and leadd woken by the milter's NOTIFY assigns each "
          "lead without its poll",
          "[pgbouncer][postfix][leadd]") {
    test::TestDatabase db;
    test::PgBouncer bouncer(test::shared_cluster().dir(), db.name(), 2);
    test::SmtpSink sink;
    auto replacements = test::round_the_clock();
    replacements.push_back(test::smtp_at(sink.address()).front());
    replacements.push_back(
        {"    on_db_error: tempfail", "    on_db_error: tempfail\n    prepared_statements: false"});
    const std::string config = test::write_example_config(replacements);

    const int milter_port = test::free_loopback_port();
    test::MilterProcess milter(LEADMILTER_BINARY, config, bouncer.transaction_conninfo(),
                               "inet:" + std::to_string(milter_port) + "@127.0.0.1");
    test::PostfixInstance mx(
        {"mx", sink.address(), "inet:127.0.0.1:" + std::to_string(milter_port), {}});
    // The poll an hour away: only a notification makes leadd look for the
    // leads that come after its first pass.
    const auto daemon_log = (std::filesystem::temp_directory_path() /
                             ("leadrouter-pgbouncer-" + std::to_string(getpid()) + "-leadd.log"))
                                .string();
    test::ChildProcess leadd({LEADD_BINARY, "--config", config, "--database",
                              bouncer.session_conninfo(), "--poll-interval", "3600"},
                             daemon_log);
    REQUIRE(test::eventually(
        [&] {
            return test::read_text_file(daemon_log).find("listening for new leads") !=
                   std::string::npos;
        },
        30s));

    // Four senders at once, so that the milter's connections share the
    // pool's two server connections.
    constexpr int senders = 4, per_sender = 15;
    std::atomic<int> refused{0};
    std::vector<std::thread> threads;
    for (int sender = 0; sender < senders; ++sender)
        threads.emplace_back([&, sender] {
            for (int i = 0; i < per_sender; ++i) {
                auto reply =
                    test::send_mail(mx.smtp_port(), "kunde@example.org", {"mueller@dein.auto"},
                                    test::customer_mail("pool-" + std::to_string(sender) + "-" +
                                                        std::to_string(i)));
                refused += !reply.ok();
            }
        });
    for (auto& thread : threads)
        thread.join();
    INFO(test::read_text_file(milter.log_file()) << bouncer.log());
    CHECK(refused == 0);
    const long long mails = senders * per_sender;
    CHECK(db.exec("SELECT count(*), count(DISTINCT message_id) FROM messages").integer(0, 0) ==
          mails);
    CHECK(db.exec("SELECT count(DISTINCT message_id) FROM messages").integer(0, 0) == mails);
    CHECK(test::eventually(
        [&] {
            return db.exec("SELECT count(*) FROM leads WHERE state = 'assigned'").integer(0, 0) ==
                   mails;
        },
        60s));
    CHECK(db.exec("SELECT count(*) FROM assignments").integer(0, 0) == mails);
    // The notices went out too (the outbox is woken the same way).
    CHECK(test::eventually(
        [&] {
            return db.exec("SELECT count(*) FROM outbox WHERE state = 'sent'").integer(0, 0) >=
                   mails;
        },
        60s));
    leadd.signal(SIGTERM);
    CHECK(leadd.wait(20s) == 0);
    std::filesystem::remove(daemon_log);
}
