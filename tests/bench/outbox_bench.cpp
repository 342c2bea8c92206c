// Outbox benchmark (issue #5): N queued notices in a durable PostgreSQL,
// sent by one `leadd --once` to a local SMTP sink (the tests' scripted
// server, answering 250 at once). Mails per second and leadd's peak memory.
//
//   build/release/tests/bench/outbox_bench [MAILS] (default 10000)
#include "fake_smtp.hpp"
#include "pg_cluster.hpp"
#include "store/migrations.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <spawn.h>
#include <sstream>
#include <sys/resource.h>
#include <sys/wait.h>

extern char** environ;
namespace fs = std::filesystem;
using namespace lr;

int main(int argc, char** argv) {
    const int mails = argc > 1 ? std::stoi(argv[1]) : 10000;
    test::FakeSmtpServer smtp;
    auto cluster = test::PgCluster::start(true);
    auto admin = store::Connection::open(cluster.conninfo("postgres"));
    if (!admin || !admin->exec("CREATE DATABASE bench"))
        return 1;
    const std::string conninfo = cluster.conninfo("bench");
    auto db = store::Connection::open(conninfo);
    if (!db || !store::migrate(*db))
        return 1;

    std::string text = [] {
        std::ifstream in(std::string(LEADROUTER_SPEC_DIR) + "/config-example.yaml");
        std::ostringstream buffer;
        buffer << in.rdbuf();
        return buffer.str();
    }();
    text.replace(text.find("server: \"127.0.0.1:25\""), 22, "server: \"" + smtp.address() + "\"");
    fs::path config = fs::temp_directory_path() / ("leadrouter-obench-" + std::to_string(getpid()));
    std::ofstream(config) << text;

    auto seeded = db->exec(
        "WITH c AS (INSERT INTO contacts (dealer_id, email, first_name, last_name) VALUES "
        "('mueller', 'jana@example.org', 'Jana', 'Krüger') RETURNING id), l AS (INSERT INTO "
        "leads (dealer_id, location_id, kind, source, contact_id, vehicle, message, token, state, "
        "assignee, received_at) SELECT 'mueller', 'hamburg', 'lead', 'mobile.de', id, "
        "'{\"make\": \"Volkswagen\", \"model\": \"Golf\"}', 'Ist der Golf noch da?', 'tok', "
        "'assigned', 'schmidt', now() FROM c RETURNING id) INSERT INTO outbox (dealer_id, "
        "lead_id, kind, message_id, mail_from, recipients, payload, not_before) SELECT 'mueller', "
        "l.id, 'reminder', '<bench.' || g || '@dein.auto>', 'mueller@dein.auto', "
        "ARRAY['a.schmidt@autohaus-mueller.example'], jsonb_build_object('due', now()), now() - "
        "interval '1 minute' FROM l, generate_series(1, $1::int) g",
        {std::to_string(mails)});
    if (!seeded) {
        std::fprintf(stderr, "%s\n", seeded.error().message.c_str());
        return 1;
    }
    (void)db->exec("VACUUM ANALYZE outbox");

    std::vector<std::string> args_text = {LEADD_BINARY, "--config", config.string(),
                                          "--database", conninfo,   "--once"};
    std::vector<char*> args;
    for (auto& arg : args_text)
        args.push_back(arg.data());
    args.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", 01, 0);
    auto start = std::chrono::steady_clock::now();
    pid_t pid = 0;
    posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    auto sent = db->exec("SELECT count(*) FROM outbox WHERE state = 'sent'");
    fs::remove(config);
    if (!sent || sent->integer(0, 0) != mails || smtp.accepted().size() != size_t(mails)) {
        std::fprintf(stderr, "not every mail was sent\n");
        return 1;
    }
    std::printf("outbox: %d mails in %.2f s = %.0f mails/s, leadd peak RSS %.1f MiB\n", mails,
                seconds, mails / seconds, usage.ru_maxrss / 1024.0);
    return 0;
}
