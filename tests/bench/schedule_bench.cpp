// Scheduler benchmark (issue #6).
//  1. The pure calendar: SPEC §7 plans (reminder, level 1, level 2) for
//     1,000,000 leads received at random times over a year, for the
//     example dealer with DE-HH public holidays. Plans per second.
//  2. The daemon: 1,000,000 open leads with a pending event each in a
//     durable PostgreSQL, of which 100,000 are due now; one `leadd --once`
//     fires them into the outbox. Events per second and leadd's peak memory,
//     next to a run with a tenth of the leads (memory must not grow).
//
//   build/release/tests/bench/schedule_bench [LEADS] (default 1000000)
#include "config/loader.hpp"
#include "core/escalation_plan.hpp"
#include "pg_cluster.hpp"
#include "store/migrations.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <spawn.h>
#include <sstream>
#include <sys/resource.h>
#include <sys/wait.h>

extern char** environ;

namespace fs = std::filesystem;
using namespace lr;

namespace {

void calendar_bench(const core::Dealer& dealer) {
    core::BusinessCalendar calendar(dealer);
    std::mt19937 random(1);
    std::uniform_int_distribution<long long> offset(0, 365LL * 86400);
    const core::Instant start = *core::parse_iso8601("2026-01-01T00:00:00Z", dealer.timezone);
    std::vector<core::Instant> received(1000000);
    for (auto& r : received)
        r = start + std::chrono::seconds{offset(random)};
    long long checksum = 0;
    auto begin = std::chrono::steady_clock::now();
    for (auto r : received) {
        auto plan = core::plan_received(dealer, calendar, r);
        checksum += plan->level2.send.time_since_epoch().count() % 7;
    }
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    std::printf("calendar: %zu plans in %.2f s = %.0f plans/s (checksum %lld)\n", received.size(),
                seconds, received.size() / seconds, checksum);
}

void exec(store::Connection& db, const std::string& sql, std::vector<store::Param> params = {}) {
    auto rows = db.exec(sql, params);
    if (!rows)
        throw std::runtime_error(rows.error().message);
}

struct Outcome {
    double seconds;
    long peak_kib;
    int status;
};

Outcome run_leadd(const std::string& config, const std::string& conninfo) {
    std::vector<std::string> argv = {LEADD_BINARY, "--config", config,
                                     "--database", conninfo,   "--once"};
    std::vector<char*> args;
    for (auto& arg : argv)
        args.push_back(arg.data());
    args.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", 01, 0);
    auto start = std::chrono::steady_clock::now();
    pid_t pid = 0;
    posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    return {std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
            usage.ru_maxrss, WIFEXITED(status) ? WEXITSTATUS(status) : -1};
}

void firing_bench(store::Connection& db, const std::string& config, const std::string& conninfo,
                  int leads) {
    const int due = leads / 10;
    exec(db, "TRUNCATE leads, contacts, assignments, scheduled_events, outbox RESTART IDENTITY "
             "CASCADE");
    exec(db,
         "INSERT INTO leads (dealer_id, location_id, kind, source, token, state, assignee, "
         "received_at) SELECT 'mueller', 'hamburg', 'lead', 'email', md5(g::text), 'assigned', "
         "(ARRAY['schmidt', 'weber', 'yilmaz'])[1 + g % 3], now() - interval '1 day' FROM "
         "generate_series(1, $1::int) g",
         {std::to_string(leads)});
    // One pending event per lead: the first `due` are due now, the rest next year.
    exec(db,
         "INSERT INTO scheduled_events (lead_id, kind, anchor_at, due_at, send_at, addressee) "
         "SELECT id, 'level1', received_at, CASE WHEN id <= $1 THEN now() - interval '1 minute' "
         "ELSE now() + interval '365 days' END, CASE WHEN id <= $1 THEN now() - interval '1 "
         "minute' ELSE now() + interval '365 days' END, assignee FROM leads",
         {std::to_string(due)});
    exec(db, "VACUUM ANALYZE");
    auto outcome = run_leadd(config, conninfo);
    auto queued = db.exec("SELECT count(*) FROM outbox");
    if (outcome.status != 0 || !queued || queued->integer(0, 0) != due)
        throw std::runtime_error("leadd did not fire every due event");
    std::printf("firing: %d open leads, %d due: %.2f s = %.0f events/s, leadd peak RSS %.1f MiB\n",
                leads, due, outcome.seconds, due / outcome.seconds, outcome.peak_kib / 1024.0);
}

} // namespace

int main(int argc, char** argv) {
    const int leads = argc > 1 ? std::stoi(argv[1]) : 1000000;
    fs::path dir = fs::temp_directory_path() / ("leadrouter-sbench-" + std::to_string(getpid()));
    fs::create_directories(dir);
    auto cluster = test::PgCluster::start(true);
    const std::string conninfo = cluster.conninfo("bench");
    std::string text = [] {
        std::ifstream in(std::string(LEADROUTER_SPEC_DIR) + "/config-example.yaml");
        std::ostringstream buffer;
        buffer << in.rdbuf();
        return buffer.str();
    }();
    text.replace(text.find("    timezone: Europe/Berlin\n"), 28,
                 "    timezone: Europe/Berlin\n    public_holidays: DE-HH\n");
    std::ofstream(dir / "leadrouter.yaml") << text;
    auto loaded = config::load_config_file((dir / "leadrouter.yaml").string());
    if (!loaded.config)
        return 1;
    calendar_bench(loaded.config->dealers[0]);

    auto admin = store::Connection::open(cluster.conninfo("postgres"));
    if (!admin || !admin->exec("CREATE DATABASE bench"))
        return 1;
    auto db = store::Connection::open(conninfo);
    if (!db || !store::migrate(*db))
        return 1;
    firing_bench(*db, (dir / "leadrouter.yaml").string(), conninfo, leads / 10);
    firing_bench(*db, (dir / "leadrouter.yaml").string(), conninfo, leads);
    fs::remove_all(dir);
    return 0;
}
