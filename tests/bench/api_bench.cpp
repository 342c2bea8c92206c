// Integration API benchmark (issue #16): one lead's detail and a page of a
// dealer's lead list (50 leads) per second, measured with wrk against
// leadweb on loopback and a durable private PostgreSQL (fsync on). Each
// lead has its contact, a stored message and three events, so the detail
// reads what it reads in production.
//
//   build/release/tests/bench/api_bench [LEADS] [SECONDS] [CONNECTIONS]
//   (defaults 100000 10 32)
#include "example_config.hpp"
#include "http_client.hpp"
#include "pg_cluster.hpp"
#include "process.hpp"
#include "smtp_sink.hpp"
#include "store/pg.hpp"
#include "web/api_token.hpp"
#include "wrk.hpp"

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace lr;

int main(int argc, char** argv) try {
    const int leads = argc > 1 ? std::stoi(argv[1]) : 100000;
    const std::string seconds = argc > 2 ? argv[2] : "10";
    const std::string connections = argc > 3 ? argv[3] : "32";
    const fs::path dir = fs::temp_directory_path() / ("api-bench-" + std::to_string(getpid()));
    fs::create_directories(dir);
    auto cluster = test::PgCluster::start(true);
    const std::string conninfo = cluster.create_migrated_database("bench");
    auto db = store::Connection::open(conninfo);
    if (!db)
        throw std::runtime_error(db.error().message);
    for (const char* sql :
         {"WITH c AS (INSERT INTO contacts (dealer_id, email, first_name, last_name) SELECT "
          "'mueller', 'kunde' || g || '@example.org', 'Jana', 'Krüger ' || g FROM "
          "generate_series(1, $1::int) g RETURNING id) INSERT INTO leads (dealer_id, location_id, "
          "kind, source, contact_id, vehicle, message, token, state, assignee, received_at) SELECT "
          "'mueller', 'hamburg', 'lead', 'mobile.de', id, '{\"make\": \"Volkswagen\", \"model\": "
          "\"Golf\", \"internal_number\": \"HH-2231\"}', 'Ist der Golf noch da?', 'tok' || id, "
          "'assigned', 'weber', now() - (id || ' seconds')::interval FROM c",
          "INSERT INTO messages (dealer_id, kind, lead_id, envelope_from, classification) SELECT "
          "'mueller', 'lead', id, 'kunde@example.org', '{\"message\": \"Ist der Golf noch da? "
          "Ich könnte Samstag vorbeikommen.\"}' FROM leads WHERE $1::int > 0",
          "INSERT INTO scheduled_events (lead_id, kind, anchor_at, due_at, send_at, addressee) "
          "SELECT id, k, now(), now() + interval '2 hours', now() + interval '2 hours', 'weber' "
          "FROM leads, unnest(ARRAY['assignment_notice', 'reminder', 'level1']) k WHERE $1::int > "
          "0"}) {
        auto done = db->exec(sql, {std::to_string(leads)});
        if (!done)
            throw std::runtime_error(done.error().message);
    }
    (void)db->exec("VACUUM ANALYZE");
    auto middle =
        db->exec("SELECT id FROM leads ORDER BY id OFFSET $1 LIMIT 1", {std::to_string(leads / 2)});
    if (!middle || middle->empty())
        throw std::runtime_error("no lead to read");
    const std::string lead_id = middle->text(0, 0);

    const std::string token = web::new_api_token();
    const std::string host = "leads.bench";
    std::ofstream((dir / "web.secret").string()) << "bench-link-key-0123456789abcdef0123456789\n";
    chmod((dir / "web.secret").c_str(), 0600);
    auto replacements = test::round_the_clock();
    replacements.push_back(test::web_at(
        "https://" + host, (dir / "web.secret").string(),
        "    api_tokens:\n      - name: bench\n        sha256: \"" + web::token_sha256(token) +
            "\"\n        dealers: \"*\"\n        scopes: [read]\n"));
    const std::string config = test::write_example_config(replacements);

    const int port = test::free_loopback_port();
    const std::string base = "http://127.0.0.1:" + std::to_string(port);
    test::ChildProcess leadweb({LEADWEB_BINARY, "--config", config, "--database", conninfo,
                                "--listen", "127.0.0.1:" + std::to_string(port)},
                               (dir / "leadweb.log").string());
    if (!test::eventually([&] { return test::http("GET", base + "/healthz").status == 200; },
                          std::chrono::seconds(20)))
        throw std::runtime_error("leadweb did not start");
    const std::string detail = base + "/api/v1/leads/" + lead_id;
    const std::string list = base + "/api/v1/leads?dealer=mueller&limit=50";
    const std::string auth = "Authorization: Bearer " + token;
    for (const auto& url : {detail, list})
        if (test::http("GET", url, host, "", std::chrono::seconds(20), {auth}).status != 200)
            throw std::runtime_error(url + " is not 200");

    const auto wrk = [&](const std::string& url, const std::string& name) {
        return bench::run_wrk({"-t2", "-c" + connections, "-d" + seconds + "s", "--latency", "-H",
                               "Host: " + host, "-H", auth, url},
                              dir / ("wrk-" + name + ".log"));
    };
    const auto one = wrk(detail, "detail");
    const auto page = wrk(list, "list");
    std::printf("leads %d (3 events and a message each), %s s each, %s connections, 2 wrk "
                "threads, leadweb 2 threads\n",
                leads, seconds.c_str(), connections.c_str());
    std::printf("GET /api/v1/leads/{id}: %.0f requests/s  (%s)\n", bench::requests_per_second(one),
                bench::line_with(one, "    99%").c_str());
    std::printf("GET /api/v1/leads?dealer=mueller&limit=50: %.0f requests/s  (%s)\n",
                bench::requests_per_second(page), bench::line_with(page, "    99%").c_str());
    std::printf("%s\n%s\n", bench::line_with(one, "Non-2xx").c_str(),
                bench::line_with(page, "Non-2xx").c_str());
    leadweb.signal(SIGTERM);
    leadweb.wait(std::chrono::seconds(10));
    fs::remove_all(dir);
    return 0;
} catch (const std::exception& error) {
    std::fprintf(stderr, "api_bench: %s\n", error.what());
    return 1;
}
