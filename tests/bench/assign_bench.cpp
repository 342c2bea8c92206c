// Assignment benchmark (issue #4): N leads across 1,000 dealers with 20
// users each, assigned by one `leadd --once` against a durable PostgreSQL
// (fsync on) on this machine. Prints leads per second and leadd's peak
// memory for two lead counts, so one can see memory does not grow with N.
//
//   build/release/tests/bench/assign_bench [LEADS...]   (default 10000 100000)
#include "pg_cluster.hpp"
#include "store/migrations.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

extern char** environ;

namespace fs = std::filesystem;
using namespace lr;

namespace {

constexpr int dealers = 1000;
constexpr int users_per_dealer = 20;

// A holiday from yesterday to tomorrow: no notice comes due during the run,
// so `leadd --once` measures the assignment alone, on any day at any hour.
// (Before 2026-12-07 it did not: run in opening hours, the same run also
// fired and tried to send every lead's notice, 4–8 times slower.)
std::string holidays_around_today() {
    const auto day = [](int offset) {
        const std::time_t when = std::time(nullptr) + offset * 24 * 3600;
        std::tm utc{};
        gmtime_r(&when, &utc);
        char text[16];
        std::strftime(text, sizeof text, "%Y-%m-%d", &utc);
        return std::string(text);
    };
    return "holidays: [{from: " + day(-1) + ", to: " + day(1) + ", name: bench}]\n";
}

void write_config(const fs::path& dir, const std::string& conninfo) {
    fs::create_directories(dir / "dealers.d");
    std::ofstream(dir / "leadrouter.yaml")
        << "system:\n  database: \"" << conninfo
        << "\"\n  automanager_url: \"https://am.example/leads/\"\n  dealers_dir: dealers.d\n";
    for (int d = 0; d < dealers; ++d) {
        std::ofstream out(dir / "dealers.d" / ("d" + std::to_string(d) + ".yaml"));
        out << "id: d" << d << "\nlocations: [{id: main, mailbox: d" << d
            << "@dein.auto}]\nworking_hours: {mon: [\"08:00-18:00\"]}\n"
            << holidays_around_today()
            << "fallback_user: u0\n"
               "admin_user: u0\ngroups:\n  - {id: neu, match: {condition: new}, members: [u1, u2, "
               "u3]}\nusers:\n";
        for (int u = 0; u < users_per_dealer; ++u)
            out << "  - {id: u" << u << ", email: u" << u << "@d" << d
                << ".example, receives_leads: true, assignable: true}\n";
    }
}

void seed(store::Connection& db, int leads) {
    auto exec = [&](const std::string& sql, std::vector<store::Param> params = {}) {
        auto rows = db.exec(sql, params);
        if (!rows)
            throw std::runtime_error(rows.error().message);
    };
    exec("TRUNCATE leads, contacts, assignments, rotation_cursors, messages, scheduled_events "
         "RESTART IDENTITY CASCADE");
    // Every tenth lead comes from a returning customer (same e-mail as an
    // earlier one), every fifth asks for a new car (the group).
    exec("INSERT INTO contacts (dealer_id, email) SELECT 'd' || (g % $2), 'kunde' || g || "
         "'@example.org' FROM generate_series(1, $1::int) g",
         {std::to_string(leads), std::to_string(dealers)});
    exec("INSERT INTO leads (dealer_id, location_id, kind, source, contact_id, vehicle, token, "
         "received_at) SELECT 'd' || (g % $2), 'main', 'lead', 'mobile.de', CASE WHEN g % 10 = 0 "
         "AND g > $2 THEN g - $2 ELSE g END, CASE WHEN g % 5 = 0 THEN '{\"condition\": \"new\"}' "
         "ELSE '{\"condition\": \"used\"}' END::jsonb, md5(g::text), now() FROM generate_series(1, "
         "$1::int) g",
         {std::to_string(leads), std::to_string(dealers)});
    exec("ANALYZE");
}

struct Outcome {
    double seconds;
    long peak_kib;
    int status;
};

Outcome run_leadd(const std::string& leadd, const fs::path& config, const std::string& conninfo) {
    std::vector<std::string> argv = {
        leadd, "--config", (config / "leadrouter.yaml").string(), "--database", conninfo, "--once"};
    std::vector<char*> args;
    for (auto& arg : argv)
        args.push_back(arg.data());
    args.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", 01, 0); // per-lead log lines
    auto start = std::chrono::steady_clock::now();
    pid_t pid = 0;
    if (posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ) != 0)
        throw std::runtime_error("cannot start " + leadd);
    posix_spawn_file_actions_destroy(&actions);
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return {seconds, usage.ru_maxrss, WIFEXITED(status) ? WEXITSTATUS(status) : -1};
}

} // namespace

int main(int argc, char** argv) {
    std::vector<int> counts;
    for (int i = 1; i < argc; ++i)
        counts.push_back(std::stoi(argv[i]));
    if (counts.empty())
        counts = {10000, 100000};
    const std::string leadd = LEADD_BINARY;

    auto cluster = test::PgCluster::start(true);
    auto admin = store::Connection::open(cluster.conninfo("postgres"));
    if (!admin || !admin->exec("CREATE DATABASE bench"))
        return 1;
    const std::string conninfo = cluster.conninfo("bench");
    auto db = store::Connection::open(conninfo);
    if (!db || !store::migrate(*db))
        return 1;
    fs::path config = fs::temp_directory_path() / ("leadrouter-bench-" + std::to_string(getpid()));
    write_config(config, conninfo);

    std::printf("%-10s %10s %12s %14s\n", "leads", "seconds", "leads/s", "peak RSS MiB");
    for (int leads : counts) {
        seed(*db, leads);
        auto outcome = run_leadd(leadd, config, conninfo);
        auto left = db->exec("SELECT count(*) FROM leads WHERE state = 'new'");
        if (outcome.status != 0 || !left || left->integer(0, 0) != 0) {
            std::fprintf(stderr, "leadd failed (status %d)\n", outcome.status);
            return 1;
        }
        std::printf("%-10d %10.2f %12.0f %14.1f\n", leads, outcome.seconds, leads / outcome.seconds,
                    outcome.peak_kib / 1024.0);
    }
    fs::remove_all(config);
    return 0;
}
