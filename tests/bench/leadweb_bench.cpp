// leadweb benchmark (issue #15): confirmation pages (GET) and claims (POST,
// each a different pool lead) per second, measured with wrk against
// leadweb on loopback and a durable private PostgreSQL (fsync on).
//
//   build/release/tests/bench/leadweb_bench [LEADS] [SECONDS] [CONNECTIONS]
//   (defaults 40000 10 32)
#include "example_config.hpp"
#include "http_client.hpp"
#include "pg_cluster.hpp"
#include "process.hpp"
#include "smtp_sink.hpp"
#include "store/pg.hpp"
#include "web/action_token.hpp"
#include "wrk.hpp"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace lr;
using bench::line_with;
using bench::requests_per_second;
using bench::run_wrk;

namespace {

const std::string host = "leads.bench";
const std::string key = "bench-link-key-0123456789abcdef0123456789";

} // namespace

int main(int argc, char** argv) try {
    const int leads = argc > 1 ? std::stoi(argv[1]) : 40000;
    const std::string seconds = argc > 2 ? argv[2] : "10";
    const std::string connections = argc > 3 ? argv[3] : "32";
    const fs::path dir = fs::temp_directory_path() / ("leadweb-bench-" + std::to_string(getpid()));
    fs::create_directories(dir);
    auto cluster = test::PgCluster::start(true);
    const std::string conninfo = cluster.create_migrated_database("bench");
    auto db = store::Connection::open(conninfo);
    if (!db)
        throw std::runtime_error(db.error().message);

    const std::string secret = (dir / "web.secret").string();
    std::ofstream(secret) << key << "\n";
    chmod(secret.c_str(), 0600);
    auto replacements = test::pool_mode(false);
    for (auto& [from, to] : replacements) // every pool lead may be claimed
        if (to.find("oldest_only: true") != std::string::npos)
            to.replace(to.find("oldest_only: true"), 17, "oldest_only: false");
    replacements.push_back(test::web_at("https://" + host, secret));
    const std::string config = test::write_example_config(replacements);

    auto seeded = db->exec(
        "WITH c AS (INSERT INTO contacts (dealer_id, email, first_name, last_name) SELECT "
        "'mueller', 'kunde' || g || '@example.org', 'Jana', 'Krüger ' || g FROM "
        "generate_series(1, $1::int) g RETURNING id) INSERT INTO leads (dealer_id, location_id, "
        "kind, source, contact_id, vehicle, message, token, state, assignee, received_at) SELECT "
        "'mueller', 'hamburg', 'lead', 'mobile.de', id, '{\"make\": \"Volkswagen\", \"model\": "
        "\"Golf\", \"internal_number\": \"HH-2231\"}', 'Ist der Golf noch da?', 'tok' || id, "
        "'assigned', 'pool', now() FROM c",
        {std::to_string(leads)});
    if (!seeded)
        throw std::runtime_error(seeded.error().message);
    (void)db->exec("VACUUM ANALYZE");
    auto ids = db->exec("SELECT id FROM leads ORDER BY id");
    if (!ids)
        throw std::runtime_error(ids.error().message);
    const auto expires =
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()) +
        std::chrono::hours(24);
    const fs::path tokens = dir / "tokens";
    {
        std::ofstream out(tokens);
        for (int i = 1; i < ids->size(); ++i) // the first lead is the GET's
            out << web::sign_token(
                       {ids->integer(i, 0), "weber", core::LeadAction::claim, expires, 0}, key)
                << "\n";
    }
    const std::string page =
        web::sign_token({ids->integer(0, 0), "weber", core::LeadAction::claim, expires, 0}, key);

    const int port = test::free_loopback_port();
    const std::string base = "http://127.0.0.1:" + std::to_string(port);
    test::ChildProcess leadweb({LEADWEB_BINARY, "--config", config, "--database", conninfo,
                                "--listen", "127.0.0.1:" + std::to_string(port)},
                               (dir / "leadweb.log").string());
    if (!test::eventually([&] { return test::http("GET", base + "/healthz").status == 200; },
                          std::chrono::seconds(20)))
        throw std::runtime_error("leadweb did not start");
    if (test::http("GET", base + "/a/" + page, host).status != 200)
        throw std::runtime_error("the confirmation page is not 200");

    const auto get = run_wrk({"-t2", "-c" + connections, "-d" + seconds + "s", "--latency", "-H",
                              "Host: " + host, base + "/a/" + page},
                             dir / "wrk-get.log");
    const auto post =
        run_wrk({"-t2", "-c" + connections, "-d" + seconds + "s", "--latency", "-s",
                 std::string(LEADROUTER_SOURCE_DIR) + "/tests/bench/leadweb_claim.lua", base, "--",
                 tokens.string(), "2", host},
                dir / "wrk-post.log");
    auto claimed = db->exec("SELECT count(*) FROM lead_actions WHERE action = 'claim' AND "
                            "channel = 'web'");
    auto still = db->exec("SELECT count(*) FROM leads WHERE assignee = 'pool'");
    if (!claimed || !still)
        throw std::runtime_error("counting the claims failed");
    const long long claims = claimed->integer(0, 0);
    std::printf("leads %d, %s s each, %s connections, 2 wrk threads, leadweb 2 threads\n", leads,
                seconds.c_str(), connections.c_str());
    std::printf("GET confirmation page: %.0f requests/s  (%s)\n", requests_per_second(get),
                line_with(get, "    99%").c_str());
    std::printf("POST claim: %.0f requests/s, %lld leads claimed (%.0f/s), %lld still in the "
                "pool  (%s)\n",
                requests_per_second(post), claims, claims / std::stod(seconds),
                still->integer(0, 0), line_with(post, "    99%").c_str());
    std::printf("%s\n%s\n", line_with(get, "Non-2xx").c_str(), line_with(post, "Non-2xx").c_str());
    leadweb.signal(SIGTERM);
    leadweb.wait(std::chrono::seconds(10));
    fs::remove_all(dir);
    return 0;
} catch (const std::exception& error) {
    std::fprintf(stderr, "leadweb_bench: %s\n", error.what());
    return 1;
}
