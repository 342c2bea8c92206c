// leadweb as it runs in production (its own process, a real PostgreSQL)
// for the link tests of issue #15: the example configuration in pool mode
// with a system.web block, a key file of its own, and tokens signed with
// that key as leadd signs them.
#pragma once

#include "config/loader.hpp"
#include "example_config.hpp"
#include "http_client.hpp"
#include "lead_seed.hpp"
#include "process.hpp"
#include "smtp_sink.hpp"
#include "test_database.hpp"
#include "web/action_token.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace lr::test {

inline const std::string web_host = "leads.test";

struct WebHarness {
    explicit WebHarness(Replacements replacements = pool_mode(false),
                        const std::string& web_lines = "    request_timeout: 2\n") {
        const auto dir = std::filesystem::temp_directory_path() /
                         ("leadweb-test-" + std::to_string(getpid()) + "-" + db.name());
        std::filesystem::create_directories(dir);
        directory = dir.string();
        secret_file = directory + "/web.secret";
        std::ofstream(secret_file) << key << "\n";
        chmod(secret_file.c_str(), 0600);
        replacements.push_back(web_at("https://" + web_host, secret_file, web_lines));
        config_path = write_example_config(replacements);
        auto loaded = config::load_config_file(config_path);
        REQUIRE(loaded.config);
        config = loaded.config;
        port = free_loopback_port();
        log_file = directory + "/leadweb.log";
        process = std::make_unique<ChildProcess>(
            std::vector<std::string>{LEADWEB_BINARY, "--config", config_path, "--database",
                                     db.conninfo(), "--listen",
                                     "127.0.0.1:" + std::to_string(port)},
            log_file);
        REQUIRE(eventually([&] { return http("GET", base() + "/healthz").status == 200; },
                           std::chrono::seconds(20)));
    }
    ~WebHarness() {
        process.reset();
        std::filesystem::remove_all(directory);
    }

    std::string base() const { return "http://127.0.0.1:" + std::to_string(port); }
    std::string link(const std::string& token) const { return base() + "/a/" + token; }

    long long version(long long lead) const {
        return db.exec("SELECT version FROM leads WHERE id = $1", {std::to_string(lead)})
            .integer(0, 0);
    }
    // A token as leadd puts it into a notice: for the lead as it is now.
    std::string token(long long lead, const std::string& user, core::LeadAction action,
                      std::chrono::seconds valid_for = std::chrono::hours(24)) const {
        return web::sign_token({lead, user, action, now() + valid_for, version(lead)}, key);
    }
    static core::Instant now() {
        return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    }

    HttpReply get(const std::string& token, const std::string& method = "GET") const {
        return http(method, link(token), web_host);
    }
    HttpReply post(const std::string& token, const std::string& form = "") const {
        return http("POST", link(token), web_host, form);
    }

    // Everything an action could change, as text: to show that a request
    // changed nothing.
    std::string snapshot() const {
        std::string out;
        for (const char* sql :
             {"SELECT string_agg(concat_ws('|', id, state, assignee, version, responded_at), ',' "
              "ORDER BY id) FROM leads",
              "SELECT string_agg(concat_ws('|', id, action, user_id, channel), ',' ORDER BY id) "
              "FROM lead_actions",
              "SELECT string_agg(concat_ws('|', id, kind, state, due_at), ',' ORDER BY id) FROM "
              "scheduled_events",
              "SELECT string_agg(concat_ws('|', id, user_id), ',' ORDER BY id) FROM assignments",
              "SELECT count(*)::text FROM outbox"})
            out += db.exec(sql).text(0, 0) + "\n";
        return out;
    }

    TestDatabase db;
    const std::string key = "leadweb-test-key-0123456789abcdef0123456789";
    std::string directory, secret_file, config_path, log_file;
    std::shared_ptr<const core::Config> config;
    int port = 0;
    std::unique_ptr<ChildProcess> process;
};

// A lead waiting in mueller's pool.
inline long long pool_lead(const TestDatabase& db, const std::string& email) {
    return add_lead(db, {.email = email, .state = "assigned", .assignee = "pool"});
}

} // namespace lr::test
