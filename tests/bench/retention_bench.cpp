// The retention pass over a large store (issue #17): MESSAGES stored mails
// (a fifth of them unassignable, the rest in leads of four mails each, one
// sent notice per lead), all three years old, and leadd in daemon mode
// anonymising them at system.privacy.batch_size rows per kind and
// transaction. Meanwhile customers' mails keep arriving through Postfix
// and leadmilter; the milter's own time per message (ELAPSED_US in its
// log) is compared with the same traffic before the pass.
//
//   build/release/tests/bench/retention_bench [MESSAGES] [BATCH] [MAILS]
//   (defaults 1000000 1000 300)
#include "example_config.hpp"
#include "milter_log.hpp"
#include "milter_process.hpp"
#include "pg_cluster.hpp"
#include "postfix_instance.hpp"
#include "process.hpp"
#include "smtp_client.hpp"
#include "smtp_sink.hpp"
#include "store/pg.hpp"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace lr;
using Clock = std::chrono::steady_clock;

namespace {

std::string customer_mail(int index) {
    const std::string id = std::to_string(getpid()) + "-" + std::to_string(index);
    return "From: Kunde " + id + " <kunde." + id +
           "@example.org>\r\nTo: mueller@dein.auto\r\nSubject: Anfrage Golf\r\nMessage-ID: "
           "<retention-bench-" +
           id + "@example.org>\r\n\r\nGuten Tag, ist der Golf noch da? Tel. 0176 " +
           std::to_string(1000000 + index) + "\r\n";
}

// Sends count mails one session after another; the milter logs each.
void send_mails(int port, int first, int count, std::atomic<bool>* stop = nullptr) {
    for (int i = first; i < first + count && !(stop && stop->load()); ++i)
        if (!test::send_mail(port, "kunde@example.org", {"mueller@dein.auto"}, customer_mail(i))
                 .ok())
            throw std::runtime_error("a mail was refused");
}

long long count(store::Connection& db, const std::string& sql) {
    auto rows = db.exec(sql);
    if (!rows)
        throw std::runtime_error(rows.error().message);
    return rows->integer(0, 0);
}

} // namespace

int main(int argc, char** argv) try {
    const long long messages = argc > 1 ? std::stoll(argv[1]) : 1000000;
    const std::string batch = argc > 2 ? argv[2] : "1000";
    const int mails = argc > 3 ? std::stoi(argv[3]) : 300;
    const long long leads = messages * 4 / 5 / 4;
    const long long unassignable = messages - leads * 4;
    const fs::path dir =
        fs::temp_directory_path() / ("retention-bench-" + std::to_string(getpid()));
    fs::create_directories(dir);
    auto cluster = test::PgCluster::start(true);
    const std::string conninfo = cluster.create_migrated_database("bench");
    auto db = store::Connection::open(conninfo);
    if (!db)
        throw std::runtime_error(db.error().message);

    const auto seeding = Clock::now();
    for (
        const std::string& sql : std::vector<std::string>{
            {"INSERT INTO contacts (dealer_id, email, phone, first_name, last_name, created_at) "
             "SELECT 'mueller', 'kunde' || g || '@example.org', '+49176' || (1000000 + g), 'Jana', "
             "'Krüger ' || g, now() - interval '3 years' FROM generate_series(1, " +
                 std::to_string(leads) + ") g",
             "INSERT INTO leads (dealer_id, kind, source, contact_id, message, token, state, "
             "assignee, assigned_at, received_at) SELECT 'mueller', 'lead', 'email', id, 'Ist der "
             "Golf noch da? ' || md5(id::text), 'tok' || id, 'closed', 'weber', now() - interval "
             "'3 years', now() - interval '3 years' FROM contacts",
             "INSERT INTO messages (dealer_id, message_id, envelope_from, recipients, received_at, "
             "kind, lead_id, classification, raw) SELECT 'mueller', '<m' || l.id || '.' || n || "
             "'@example.org>', 'kunde' || l.id || '@example.org', '{mueller@dein.auto}', "
             "l.received_at, CASE WHEN n = 1 THEN 'lead' ELSE 'reply' END, l.id, "
             "jsonb_build_object("
             "'kind', 'lead', 'contact', jsonb_build_object('email', 'kunde' || l.id || "
             "'@example.org'), 'message', 'Ist der Golf noch da?'), convert_to('From: Jana Krüger "
             "<kunde' || l.id || '@example.org>' || E'\\r\\n\\r\\n' || repeat(md5(l.id::text || "
             "n), 16), 'UTF8') FROM leads l, generate_series(1, 4) n",
             "INSERT INTO messages (dealer_id, message_id, envelope_from, received_at, kind, "
             "reason, "
             "classification, raw) SELECT 'mueller', '<u' || g || '@example.org>', 'bounce' || g "
             "|| "
             "'@example.org', now() - interval '3 years', 'unassignable', 'bounce', '{\"kind\": "
             "\"unassignable\"}', convert_to(repeat(md5(g::text), 16), 'UTF8') FROM "
             "generate_series(1, " +
                 std::to_string(unassignable) + ") g",
             "INSERT INTO outbox (dealer_id, lead_id, kind, message_id, mail_from, recipients, "
             "content, state, created_at, sent_at) SELECT 'mueller', id, 'assignment_notice', "
             "'<o' || id || '@dein.auto>', 'mueller@dein.auto', "
             "'{j.weber@autohaus-mueller.example}', convert_to('Kunde: Jana Krüger, kunde' || id "
             "|| '@example.org' || repeat(md5(id::text), 8), 'UTF8'), 'sent', received_at, "
             "received_at FROM leads",
             "VACUUM ANALYZE"}}) {
        auto done = db->exec(sql);
        if (!done)
            throw std::runtime_error(done.error().message);
    }
    const double seed_seconds = std::chrono::duration<double>(Clock::now() - seeding).count();
    const long long rows_before = count(*db, "SELECT count(*) FROM messages");

    test::SmtpSink sink;
    auto replacements = test::round_the_clock();
    replacements.push_back(test::smtp_at(sink.address()).front());
    replacements.push_back({"  automanager_url:", "  privacy:\n    run_at: \"00:00\"\n    "
                                                  "batch_size: " +
                                                      batch + "\n  automanager_url:"});
    const std::string config = test::write_example_config(replacements);
    const int milter_port = test::free_loopback_port();
    test::MilterProcess milter(LEADMILTER_BINARY, config, conninfo,
                               "inet:" + std::to_string(milter_port) + "@127.0.0.1");
    test::PostfixInstance mx(
        {"mx", sink.address(), "inet:127.0.0.1:" + std::to_string(milter_port), {}});

    // Before: the same traffic without the pass.
    size_t offset = fs::file_size(milter.log_file());
    send_mails(mx.smtp_port(), 0, mails);
    test::eventually(
        [&] { return bench::elapsed_since(milter.log_file(), offset).size() >= size_t(mails); },
        std::chrono::seconds(60));
    const auto quiet = bench::elapsed_since(milter.log_file(), offset);

    // The pass: leadd in daemon mode, mail arriving all the while.
    offset = fs::file_size(milter.log_file());
    const auto started = Clock::now();
    test::ChildProcess leadd({LEADD_BINARY, "--config", config, "--database", conninfo},
                             (dir / "leadd.log").string());
    std::atomic<bool> stop{false};
    std::thread traffic([&] { send_mails(mx.smtp_port(), mails, 1000000, &stop); });
    const bool finished = test::eventually(
        [&] {
            return count(*db, "SELECT count(*) FROM leads WHERE anonymised_at IS NULL AND "
                              "received_at < now() - interval '2 years'") == 0 &&
                   count(*db, "SELECT count(*) FROM messages WHERE raw IS NOT NULL AND "
                              "received_at < now() - interval '2 years'") == 0 &&
                   count(*db, "SELECT count(*) FROM outbox WHERE content IS NOT NULL AND "
                              "created_at < now() - interval '2 years'") == 0;
        },
        std::chrono::seconds(3600));
    const double pass_seconds = std::chrono::duration<double>(Clock::now() - started).count();
    stop = true;
    traffic.join();
    const auto busy = bench::elapsed_since(milter.log_file(), offset);
    if (!finished)
        throw std::runtime_error("the pass did not finish within an hour");
    const long long anonymised =
        count(*db, "SELECT count(*) FROM messages WHERE anonymised_at IS NOT NULL") +
        count(*db, "SELECT count(*) FROM messages WHERE raw IS NULL AND anonymised_at IS NULL") +
        count(*db, "SELECT count(*) FROM leads WHERE anonymised_at IS NOT NULL") +
        count(*db, "SELECT count(*) FROM contacts WHERE anonymised_at IS NOT NULL") +
        count(*db, "SELECT count(*) FROM outbox WHERE anonymised_at IS NOT NULL");
    std::printf("store: %lld messages (%lld leads x 4, %lld unassignable), %lld contacts, %lld "
                "sent notices, seeded in %.0f s; batch_size %s\n",
                rows_before, leads, unassignable, leads, leads, seed_seconds, batch.c_str());
    std::printf("pass: %.1f s, %lld rows changed, %.0f rows/s (contacts, leads, messages, "
                "outbox together)\n",
                pass_seconds, anonymised, anonymised / pass_seconds);
    std::printf("milter per message before: %zu mails, median %.2f ms, p99 %.2f ms\n", quiet.size(),
                bench::percentile(quiet, 0.5) / 1000.0, bench::percentile(quiet, 0.99) / 1000.0);
    std::printf("milter per message during: %zu mails, median %.2f ms, p99 %.2f ms\n", busy.size(),
                bench::percentile(busy, 0.5) / 1000.0, bench::percentile(busy, 0.99) / 1000.0);
    leadd.signal(SIGTERM);
    leadd.wait(std::chrono::seconds(30));
    fs::remove_all(dir);
    return 0;
} catch (const std::exception& error) {
    std::fprintf(stderr, "retention_bench: %s\n", error.what());
    return 1;
}
