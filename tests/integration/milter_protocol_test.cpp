// leadmilter over the milter protocol, driven by miltertest's Lua scripts
// (tests/milter/*.lua): what Postfix would see, and what is stored.
#include "example_config.hpp"
#include "lead_seed.hpp"
#include "milter_process.hpp"
#include "process.hpp"
#include "test_database.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <fstream>
#include <pwd.h>
#include <unistd.h>

using namespace lr;

namespace {

const std::string scripts = std::string(LEADROUTER_SOURCE_DIR) + "/tests/milter";

std::string small_limit_config() {
    return test::write_example_config(
        {{"on_db_error: tempfail", "on_db_error: tempfail\n    max_message_size: 64K"}});
}

// Runs one script against the milter; its output is in the failure message.
void run_script(const test::MilterProcess& milter, const std::string& script) {
    const std::string log = milter.log_file() + "." + script + ".out";
    int status = test::run_program({"miltertest", "-D", "socket=" + milter.socket(), "-D",
                                    "script_dir=" + scripts, "-s", scripts + "/" + script},
                                   log);
    INFO("miltertest " << script << ":\n"
                       << test::read_text_file(log) << "\nleadmilter:\n"
                       << test::read_text_file(milter.log_file()));
    REQUIRE(status == 0);
}

} // namespace

TEST_CASE("miltertest: a lead is stored and gets its headers and forward target, foreign mail "
          "passes untouched, oversized mail gets 552",
          "[milter][protocol]") {
    test::TestDatabase db;
    test::MilterProcess milter(LEADMILTER_BINARY, small_limit_config(), db.conninfo(),
                               test::private_milter_socket("protocol"));
    run_script(milter, "lead.lua");
    auto stored = db.exec("SELECT l.id, m.kind, m.queue_id LIKE 'MT%' FROM leads l JOIN messages "
                          "m ON m.lead_id = l.id WHERE m.message_id = '<mt-lead-1@mobile.de>'");
    REQUIRE(stored.size() == 1);
    CHECK(stored.text(0, 1) == "lead");
    run_script(milter, "not_ours.lua");
    run_script(milter, "too_big.lua");
    CHECK(db.exec("SELECT count(*) FROM messages").integer(0, 0) == 1);
    CHECK(milter.stop() == 0);
}

TEST_CASE("miltertest: without a database the milter answers 451 4.3.0", "[milter][protocol]") {
    test::TestDatabase db;
    test::MilterProcess milter(LEADMILTER_BINARY, test::write_example_config(),
                               "host=/nonexistent-dir dbname=none",
                               test::private_milter_socket("tempfail"));
    run_script(milter, "tempfail.lua");
    CHECK(test::read_text_file(milter.log_file()).find("temporary failure") != std::string::npos);
}

TEST_CASE("miltertest: with on_db_error accept and no database the message is forwarded "
          "untracked and an err line says so",
          "[milter][protocol]") {
    test::MilterProcess milter(
        LEADMILTER_BINARY,
        test::write_example_config({{"on_db_error: tempfail", "on_db_error: accept"}}),
        "host=/nonexistent-dir dbname=none", test::private_milter_socket("accept"));
    run_script(milter, "accept_untracked.lua");
    CHECK(test::read_text_file(milter.log_file())
              .find("error: database unavailable: message delivered untracked") !=
          std::string::npos);
}

TEST_CASE("with every message slot taken, the next message waits and then gets 451, the "
          "slot's own message is stored",
          "[milter][protocol][attack]") {
    test::TestDatabase db;
    const std::string config = test::write_example_config(
        {{"    on_db_error: tempfail", "    on_db_error: tempfail\n    max_messages: 1"}});
    test::MilterProcess milter(LEADMILTER_BINARY, config, db.conninfo(),
                               test::private_milter_socket("busy"));
    // The one slot's message hangs in its commit behind a lock held here.
    auto holder = db.connect();
    REQUIRE(holder.exec("BEGIN"));
    REQUIRE(holder.exec("LOCK TABLE leads IN ACCESS EXCLUSIVE MODE"));
    const std::string first_log = milter.log_file() + ".first.out";
    test::ChildProcess first({"miltertest", "-D", "socket=" + milter.socket(), "-D",
                              "script_dir=" + scripts, "-s", scripts + "/lead.lua"},
                             first_log);
    REQUIRE(test::eventually(
        [&] {
            return db.exec("SELECT count(*) FROM pg_locks WHERE NOT granted").integer(0, 0) > 0;
        },
        std::chrono::seconds(10)));
    run_script(milter, "busy.lua"); // waits its 10 s, then the reply code
    CHECK(test::read_text_file(milter.log_file()).find("busy: too many messages at once") !=
          std::string::npos);
    REQUIRE(holder.exec("COMMIT"));
    CHECK(first.wait(std::chrono::seconds(30)) == 0);
    INFO(test::read_text_file(first_log));
    CHECK(db.exec("SELECT count(*) FROM messages").integer(0, 0) == 1);
    CHECK(milter.stop() == 0);
}

TEST_CASE("leadmilter started as root becomes system.milter.user before it reads any mail",
          "[milter][attack]") {
    if (geteuid() != 0) {
        WARN("not root: cannot test starting as root (CI runs as root)");
        return;
    }
    test::TestDatabase db;
    const std::string config = test::write_example_config(
        {{"    on_db_error: tempfail", "    on_db_error: tempfail\n    user: nobody"}});
    test::MilterProcess milter(LEADMILTER_BINARY, config, db.conninfo(),
                               test::private_milter_socket("user"));
    const passwd* nobody = getpwnam("nobody");
    REQUIRE(nobody);
    CHECK(test::eventually(
        [&] {
            return test::read_text_file(milter.log_file()).find("running as nobody") !=
                   std::string::npos;
        },
        std::chrono::seconds(5)));
    const std::string status =
        test::read_text_file("/proc/" + std::to_string(milter.process().pid()) + "/status");
    const std::string id = std::to_string(nobody->pw_uid);
    CHECK(status.find("\nUid:\t" + id + "\t" + id + "\t" + id + "\t" + id + "\n") !=
          std::string::npos);
    run_script(milter, "not_ours.lua"); // and it still serves
    CHECK(milter.stop() == 0);
}

TEST_CASE("leadmilter refuses inet without a host and a milter.user that does not exist",
          "[milter][attack]") {
    test::TestDatabase db;
    const auto log = "/tmp/leadmilter-refused-" + std::to_string(getpid()) + ".log";
    CHECK(test::run_program({LEADMILTER_BINARY, "--config", test::write_example_config(),
                             "--database", db.conninfo(), "--socket", "inet:18891"},
                            log) == 1);
    CHECK(test::read_text_file(log).find("\"inet:18891\" names no host") != std::string::npos);
    if (geteuid() == 0) {
        const std::string config = test::write_example_config(
            {{"    on_db_error: tempfail", "    on_db_error: tempfail\n    user: niemand-da"}});
        CHECK(test::run_program({LEADMILTER_BINARY, "--config", config, "--database", db.conninfo(),
                                 "--socket", test::private_milter_socket("nouser")},
                                log) == 1);
        CHECK(test::read_text_file(log).find("system.milter.user: there is no user "
                                             "\"niemand-da\"") != std::string::npos);
    }
}

TEST_CASE("leadmilter reloads on SIGUSR1 and keeps the old configuration when the new one is "
          "broken",
          "[milter][reload]") {
    test::TestDatabase db;
    const std::string config = test::write_example_config();
    test::MilterProcess milter(LEADMILTER_BINARY, config, db.conninfo(),
                               test::private_milter_socket("reload"));
    const std::string good = test::read_text_file(config);
    { std::ofstream(config) << good << "\n  broken: [\n"; }
    milter.process().signal(SIGUSR1);
    CHECK(test::eventually(
        [&] {
            return test::read_text_file(milter.log_file()).find("configuration rejected") !=
                   std::string::npos;
        },
        std::chrono::seconds(10)));
    run_script(milter, "lead.lua"); // still serving on the old configuration
    { std::ofstream(config) << good; }
    milter.process().signal(SIGUSR1);
    CHECK(test::eventually(
        [&] {
            return test::read_text_file(milter.log_file()).find("configuration reloaded") !=
                   std::string::npos;
        },
        std::chrono::seconds(10)));
    CHECK(milter.process().running());
    CHECK(milter.stop() == 0);
}

TEST_CASE("miltertest: a SASL submission as the salesperson is the reaction and a forged trusted "
          "Authentication-Results is removed, without SASL the lead stays as it was",
          "[milter][protocol][proof][attack]") {
    test::TestDatabase db;
    test::MilterProcess milter(
        LEADMILTER_BINARY,
        test::write_example_config({{"    socket: \"unix:/run/leadmilter/milter.sock\"",
                                     "    socket: \"unix:/run/leadmilter/milter.sock\"\n"
                                     "    trusted_authserv_ids: [mx.dein.auto]"}}),
        db.conninfo(), test::private_milter_socket("proof"));
    auto lead = test::add_lead(
        db, {.email = "tom.becker@example.net", .state = "assigned", .assignee = "schmidt"});
    test::add_pending_event(db, lead, "level1", "schmidt");
    auto pending = [&] {
        return db.exec("SELECT count(*) FROM scheduled_events WHERE state = 'pending'")
            .integer(0, 0);
    };
    run_script(milter, "forged_reaction.lua");
    CHECK(db.exec("SELECT state FROM leads WHERE id = $1", {std::to_string(lead)}).text(0, 0) ==
          "assigned");
    CHECK(pending() == 1);
    CHECK(test::read_text_file(milter.log_file()).find("unverified sender") != std::string::npos);
    run_script(milter, "reaction.lua");
    auto after =
        db.exec("SELECT state, responded_by FROM leads WHERE id = $1", {std::to_string(lead)});
    CHECK(after.text(0, 0) == "responded");
    CHECK(after.text(0, 1) == "schmidt");
    CHECK(pending() == 0);
    CHECK(milter.stop() == 0);
}
