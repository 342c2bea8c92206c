// PostgreSQL failover under load (issue #20): a primary and a synchronous
// streaming-replication standby (pg_basebackup -R), milter and two daemons
// in daemon mode on a multi-host conninfo with
// target_session_attrs=read-write, mail arriving through a sending Postfix
// in front of the milter's Postfix and, beside it, a probe that talks to
// the milter's Postfix directly and records every answer with its time.
// Then the primary is killed (immediate shutdown, as a crash) and the
// standby promoted.
//
// Afterwards: every mail delivered once and stored once, every lead
// assigned once, every due event fired once, every outbox mail sent once
// (or recognisably twice: leased again after its sender lost the
// database), 4xx only between the kill and the first mail the new primary
// took, and both daemons listening again. The switch-over gap (seconds of
// 4xx) is printed for the README.
#include "example_config.hpp"
#include "lead_seed.hpp"
#include "milter_process.hpp"
#include "pg_cluster.hpp"
#include "postfix_instance.hpp"
#include "process.hpp"
#include "run_outcome.hpp"
#include "sink_message.hpp"
#include "smtp_client.hpp"
#include "smtp_sink.hpp"
#include "test_database.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>

using namespace lr;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int edge_mails = 150;   // through the sending Postfix, one every 100 ms
constexpr int clock_offset = 150; // the daemons run ahead: escalations come due within the run

std::string log_path(const std::string& name) {
    auto path = std::filesystem::temp_directory_path() /
                ("leadrouter-failover-" + std::to_string(getpid()) + "-" + name + ".log");
    std::filesystem::remove(path);
    return path.string();
}

// The probe: a sending MTA of its own, straight to the milter's Postfix,
// one message every 200 ms; a 4xx is retried (the same message) after
// 200 ms, as a real sender would, only sooner.
class Probe {
public:
    struct Answer {
        Clock::time_point at;
        int code;
    };

    explicit Probe(int port) : m_port(port) {}

    void run(const std::atomic<bool>& stop) {
        while (!stop) {
            const std::string tag = "probe-" + std::to_string(++m_sent);
            for (;;) {
                auto reply = test::send_mail(m_port, "kunde@example.org", {"mueller@dein.auto"},
                                             test::customer_mail(tag));
                record(reply.code);
                std::this_thread::sleep_for(200ms);
                if (reply.ok())
                    break;
            }
        }
    }
    int sent() const { return m_sent; }
    std::vector<Answer> answers() const {
        std::lock_guard lock(m_mutex);
        return m_answers;
    }

private:
    void record(int code) {
        std::lock_guard lock(m_mutex);
        m_answers.push_back({Clock::now(), code});
    }
    int m_port;
    int m_sent = 0;
    mutable std::mutex m_mutex;
    std::vector<Answer> m_answers;
};

double seconds_between(Clock::time_point from, Clock::time_point to) {
    return std::chrono::duration<double>(to - from).count();
}

} // namespace

TEST_CASE("failover: the primary killed under load and the standby promoted: every mail stored "
          "and delivered once, every lead assigned once, every event and outbox mail once, 4xx "
          "only during the switch",
          "[failover][postfix][leadd]") {
    // Synchronous replication: a commit the milter was told about is on the
    // standby too, so accepting a mail and then losing it in the failover
    // cannot happen (with asynchronous replication it can; README).
    auto primary = test::PgCluster::start();
    primary.create_migrated_database("leadrouter");
    auto standby = test::PgCluster::standby_of(primary, "standby");
    {
        auto admin = store::Connection::open(primary.conninfo("postgres"));
        REQUIRE(admin);
        REQUIRE(admin->exec("ALTER SYSTEM SET synchronous_standby_names = 'standby'"));
        REQUIRE(admin->exec("SELECT pg_reload_conf()"));
    }
    REQUIRE(test::eventually(
        [&] {
            return test::count_at(primary.conninfo("postgres"),
                                  "SELECT count(*) FROM pg_stat_replication WHERE "
                                  "application_name = 'standby' AND sync_state = 'sync'") == 1;
        },
        30s));
    const std::string conninfo = "host=" + primary.dir() + "," + standby.dir() +
                                 " user=postgres dbname=leadrouter "
                                 "target_session_attrs=read-write connect_timeout=5";
    const std::string promoted = standby.conninfo("leadrouter");

    test::SmtpSink sink;
    auto replacements = test::round_the_clock();
    replacements.push_back(test::smtp_at(sink.address()).front());
    const std::string config = test::write_example_config(replacements);
    const int milter_port = test::free_loopback_port();
    test::MilterProcess milter(LEADMILTER_BINARY, config, conninfo,
                               "inet:" + std::to_string(milter_port) + "@127.0.0.1");
    test::PostfixInstance mx(
        {"mx", sink.address(), "inet:127.0.0.1:" + std::to_string(milter_port), {}});
    test::PostfixInstance edge(
        {"edge",
         "127.0.0.1:" + std::to_string(mx.smtp_port()),
         "",
         {"minimal_backoff_time = 1s", "maximal_backoff_time = 2s", "queue_run_delay = 1s"}});

    std::vector<std::unique_ptr<test::ChildProcess>> daemons;
    std::vector<std::string> daemon_logs;
    for (int i = 0; i < 2; ++i) {
        daemon_logs.push_back(log_path("leadd" + std::to_string(i)));
        daemons.push_back(std::make_unique<test::ChildProcess>(
            std::vector<std::string>{LEADD_BINARY, "--config", config, "--database", conninfo,
                                     "--batch-size", "5", "--clock-offset",
                                     std::to_string(clock_offset)},
            daemon_logs.back()));
    }
    auto listening_count = [&](size_t daemon) {
        const auto log = test::read_text_file(daemon_logs[daemon]);
        size_t found = 0;
        for (auto at = log.find("listening for new leads"); at != std::string::npos;
             at = log.find("listening for new leads", at + 1))
            ++found;
        return found;
    };
    REQUIRE(
        test::eventually([&] { return listening_count(0) == 1 && listening_count(1) == 1; }, 30s));

    std::atomic<bool> stop_probe{false};
    Probe probe(mx.smtp_port());
    std::thread probing([&] { probe.run(stop_probe); });
    std::atomic<int> edge_refused{0};
    std::thread arrivals([&] {
        for (int i = 0; i < edge_mails; ++i) {
            auto reply =
                test::send_mail(edge.smtp_port(), "kunde@example.org", {"mueller@dein.auto"},
                                test::customer_mail("edge-" + std::to_string(i)));
            edge_refused += !reply.ok();
            std::this_thread::sleep_for(100ms);
        }
    });

    std::this_thread::sleep_for(5s);
    const auto killed_at = Clock::now();
    primary.crash();
    // A failover manager needs a while to notice (Patroni: the leader key's
    // TTL); meanwhile the standby is there but read-only, and every client
    // must keep refusing and retrying rather than write to it.
    std::this_thread::sleep_for(3s);
    standby.promote();
    const auto promoted_at = Clock::now();
    arrivals.join();
    // The probe goes on until some of its mail has been taken by the new
    // primary for a while.
    REQUIRE(test::eventually(
        [&] {
            for (const auto& answer : probe.answers())
                if (answer.at > promoted_at + 5s && answer.code / 100 == 2)
                    return true;
            return false;
        },
        60s));
    stop_probe = true;
    probing.join();
    CHECK(edge_refused == 0);
    // The sending Postfix met the switch too, and kept the mail queued.
    CHECK(test::read_text_file(edge.maillog()).find("451 4.3.0") != std::string::npos);

    const long long mails = edge_mails + probe.sent();
    auto forwarded = [&] {
        std::vector<std::string> out;
        for (auto& message : sink.messages())
            if (!test::header_of(message, "X-Test-Fixture").empty())
                out.push_back(std::move(message));
        return out;
    };
    auto settled = [&] {
        // With backoff times of a second the edge's queue manager can meet a
        // message still locked by its last delivery attempt; it then parks
        // it for 60 s in the incoming queue, which it only rescans when new
        // mail comes (Postfix qmgr_active.c). A live server always gets new
        // mail; here the flush is that trigger.
        edge.flush();
        return forwarded().size() >= static_cast<size_t>(mails) && edge.queued() == 0 &&
               mx.queued() == 0 &&
               test::count_at(promoted, "SELECT count(*) FROM leads WHERE state = 'new'") == 0 &&
               test::count_at(promoted, "SELECT count(*) FROM scheduled_events WHERE state = "
                                        "'pending'") == 0 &&
               test::count_at(promoted, "SELECT count(*) FROM outbox WHERE state = 'queued'") == 0;
    };
    CHECK(test::eventually(settled, 240s));
    std::this_thread::sleep_for(1s); // a mail sent twice would have arrived by now

    // Every mail delivered once, stored once, one lead each.
    std::map<std::string, int> arrived;
    for (const auto& message : forwarded())
        ++arrived[test::header_of(message, "X-Test-Fixture")];
    CHECK(arrived.size() == static_cast<size_t>(mails));
    int delivered_twice = 0;
    for (const auto& [tag, times] : arrived)
        delivered_twice += times > 1;
    CHECK(delivered_twice == 0);
    CHECK(test::count_at(promoted, "SELECT count(*) FROM messages") == mails);
    CHECK(test::count_at(promoted, "SELECT count(DISTINCT message_id) FROM messages") == mails);

    // Every lead assigned once; every event once and fired; every mail sent.
    auto states = test::query_at(promoted, "SELECT string_agg(state || ' ' || n, ', ') FROM "
                                           "(SELECT state, count(*) AS n FROM leads GROUP BY "
                                           "state) AS s");
    INFO("leads by state: " << states.text(0, 0));
    const auto outcome = test::lead_outcome(promoted);
    CHECK(outcome.leads == mails);
    CHECK(outcome.assigned == mails);
    CHECK(outcome.assignments == mails);
    CHECK(outcome.leads_with_assignment == mails);
    CHECK(outcome.doubled_events == 0);
    CHECK(outcome.events_not_done == 0);
    CHECK(outcome.leads_with_events == mails);
    CHECK(test::count_at(promoted, "SELECT count(*) FROM outbox WHERE state <> 'sent'") == 0);
    std::vector<std::string> outbox_mail;
    for (auto& message : sink.messages())
        if (test::header_of(message, "X-Test-Fixture").empty())
            outbox_mail.push_back(std::move(message));
    const auto delivery = test::compare_outbox(promoted, outbox_mail);
    CHECK(delivery.outbox_rows == 4 * mails); // notice, reminder, level 1, level 2
    CHECK(delivery.missing == 0);
    CHECK(delivery.doubled_unexplained == 0);
    CHECK(delivery.distinct_received == static_cast<size_t>(delivery.outbox_rows));

    // 4xx only during the switch: none before the kill, none after the
    // first mail the new primary took. (A 2xx between kill and promotion
    // is a commit the old primary made just before it died, answered a
    // moment later: not the new primary's.)
    const auto answers = probe.answers();
    std::optional<Clock::time_point> first_refused, last_refused, first_taken_after;
    int refused = 0, refused_outside = 0;
    for (const auto& answer : answers) {
        const bool taken = answer.code / 100 == 2;
        if (taken && answer.at > promoted_at && !first_taken_after)
            first_taken_after = answer.at;
        if (taken)
            continue;
        ++refused;
        CHECK(answer.code / 100 == 4); // a tempfail, never a 5xx or a dropped connection
        if (!first_refused)
            first_refused = answer.at;
        last_refused = answer.at;
        refused_outside +=
            answer.at < killed_at || (first_taken_after && answer.at > *first_taken_after);
    }
    CHECK(refused_outside == 0);
    REQUIRE(first_taken_after);
    std::cout << "failover: primary killed, standby promoted in "
              << seconds_between(killed_at, promoted_at) << " s; probe answers " << answers.size()
              << ", 4xx " << refused << "; first mail taken "
              << seconds_between(killed_at, *first_taken_after) << " s after the kill";
    if (first_refused)
        std::cout << "; 4xx from " << seconds_between(killed_at, *first_refused) << " s to "
                  << seconds_between(killed_at, *last_refused) << " s after the kill";
    std::cout << "; " << mails << " mails, " << delivery.outbox_rows << " outbox mails, "
              << delivery.doubled << " sent twice (leased again)" << std::endl;

    // Both daemons found the new primary and listen there again.
    for (size_t i = 0; i < daemons.size(); ++i) {
        INFO("leadd " << i << ": " << test::read_text_file(daemon_logs[i]));
        CHECK(daemons[i]->running());
        CHECK(listening_count(i) >= 2);
    }
    CHECK(test::count_at(promoted, "SELECT count(DISTINCT pid) FROM pg_stat_activity WHERE "
                                   "application_name = 'leadd'") >= 2);
    for (auto& daemon : daemons) {
        daemon->signal(SIGTERM);
        CHECK(daemon->wait(20s) == 0);
    }
}
