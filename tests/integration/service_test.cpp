// leadd as a systemd service (SPEC §11, §3): the notify protocol seen on a
// NOTIFY_SOCKET, reload with a good and a broken configuration, stop; and
// the unit files checked by systemd-analyze.
#include "example_config.hpp"
#include "lead_seed.hpp"
#include "milter_process.hpp"
#include "notify_socket.hpp"
#include "process.hpp"
#include "silent_server.hpp"
#include "smtp_sink.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>

using namespace lr;
using namespace std::chrono_literals;

namespace {

// A unit file with the installed paths replaced by the build's binaries.
std::string unit_for_build(const std::string& name) {
    std::string text =
        test::read_text_file(std::string(LEADROUTER_SOURCE_DIR) + "/systemd/" + name);
    for (auto [from, to] : {std::pair<std::string, std::string>{"/usr/sbin/leadd", LEADD_BINARY},
                            {"/usr/sbin/leadmilter", LEADMILTER_BINARY},
                            {"/usr/sbin/leadweb", LEADWEB_BINARY}})
        for (size_t at; (at = text.find(from)) != std::string::npos;)
            text.replace(at, from.size(), to);
    auto dir =
        std::filesystem::temp_directory_path() / ("leadrouter-units-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    auto path = dir / name;
    std::ofstream(path) << text;
    return path.string();
}

// Our man pages in a man(1) tree (man5/, man8/), so that verify finds the
// pages the units' Documentation= names, as it would once installed.
std::string man_tree() {
    auto dir =
        std::filesystem::temp_directory_path() / ("leadrouter-man-" + std::to_string(getpid()));
    for (const char* page :
         {"leadd.8", "leadmilter.8", "leadweb.8", "leadctl.8", "leadrouter.yaml.5"}) {
        const std::string name = page;
        auto section = dir / ("man" + name.substr(name.rfind('.') + 1));
        std::filesystem::create_directories(section);
        std::filesystem::remove(section / name);
        std::filesystem::create_symlink(std::string(LEADROUTER_SOURCE_DIR) + "/man/" + name,
                                        section / name);
    }
    return dir.string();
}

} // namespace

TEST_CASE("systemd-analyze verify accepts the three units, their man pages included", "[service]") {
    auto log = "/tmp/leadrouter-verify-" + std::to_string(getpid()) + ".log";
    const auto manpath = man_tree();
    setenv("MANPATH", manpath.c_str(), 1);
    int rc =
        test::run_program({"systemd-analyze", "verify", unit_for_build("leadd.service"),
                           unit_for_build("leadmilter.service"), unit_for_build("leadweb.service")},
                          log);
    unsetenv("MANPATH");
    std::filesystem::remove_all(manpath);
    INFO(test::read_text_file(log));
    CHECK(rc == 0);
}

TEST_CASE("the three units are hardened: systemd-analyze security exposure below 2.0",
          "[service]") {
    for (const char* unit : {"leadd.service", "leadmilter.service", "leadweb.service"}) {
        auto log = "/tmp/leadrouter-security-" + std::to_string(getpid()) + ".log";
        std::filesystem::remove(log);
        CHECK(test::run_program(
                  {"systemd-analyze", "security", "--offline=true", unit_for_build(unit)}, log) ==
              0);
        auto text = test::read_text_file(log);
        auto at = text.find("Overall exposure level for " + std::string(unit) + ": ");
        REQUIRE(at != std::string::npos);
        double exposure = std::stod(text.substr(at + 29 + std::string(unit).size()));
        INFO(unit << " exposure " << exposure);
        CHECK(exposure < 2.0);
    }
}

TEST_CASE("leadd speaks the notify protocol: READY, RELOADING/READY on SIGHUP (also when the new "
          "configuration is broken, which is rejected), STOPPING on SIGTERM",
          "[service]") {
    test::TestDatabase db;
    test::NotifySocket notify;
    auto config = test::write_example_config();
    setenv("NOTIFY_SOCKET", notify.path().c_str(), 1);
    auto log = "/tmp/leadrouter-notify-" + std::to_string(getpid()) + ".log";
    std::filesystem::remove(log);
    test::ChildProcess daemon({LEADD_BINARY, "--config", config, "--database", db.conninfo()}, log);
    unsetenv("NOTIFY_SOCKET");

    REQUIRE(notify.wait_for("READY=1", 0, 10s));
    size_t seen = notify.messages().size();
    daemon.signal(SIGHUP);
    CHECK(notify.wait_for("RELOADING=1", seen, 10s));
    CHECK(notify.wait_for("STATUS=configuration reloaded", seen, 10s));

    // A broken file: rejected, the old configuration keeps serving.
    std::ofstream(config) << "system: [broken\n";
    seen = notify.messages().size();
    daemon.signal(SIGHUP);
    CHECK(notify.wait_for("STATUS=configuration reload rejected", seen, 10s));
    CHECK(test::read_text_file(log).find("configuration reload rejected; still running on the "
                                         "previous one") != std::string::npos);
    auto lead = test::add_lead(db, {.email = "nach-reload@ex.org"});
    db.exec("NOTIFY leadrouter_new_lead");
    CHECK(test::eventually(
        [&] {
            return db.exec("SELECT state FROM leads WHERE id = $1", {std::to_string(lead)})
                       .text(0, 0) == "assigned";
        },
        10s));

    seen = notify.messages().size();
    daemon.signal(SIGTERM);
    CHECK(notify.wait_for("STOPPING=1", seen, 10s));
    CHECK(daemon.wait(10s) == 0);
}

TEST_CASE("leadmilter speaks the notify protocol: READY once it listens, RELOADING/READY on "
          "SIGUSR1, STOPPING on SIGTERM",
          "[service][milter]") {
    test::TestDatabase db;
    test::NotifySocket notify;
    auto config = test::write_example_config();
    setenv("NOTIFY_SOCKET", notify.path().c_str(), 1);
    test::MilterProcess milter(LEADMILTER_BINARY, config, db.conninfo(),
                               test::private_milter_socket("notify"));
    unsetenv("NOTIFY_SOCKET");

    REQUIRE(notify.wait_for("READY=1", 0, 10s));
    size_t seen = notify.messages().size();
    milter.process().signal(SIGUSR1);
    CHECK(notify.wait_for("RELOADING=1", seen, 10s));
    CHECK(notify.wait_for("READY=1", seen + 1, 10s));
    seen = notify.messages().size();
    CHECK(milter.stop() == 0);
    CHECK(notify.wait_for("STOPPING=1", seen, 1s));
}

TEST_CASE("leadd keeps feeding the watchdog while its database accepts the connection and never "
          "answers",
          "[service][leadd]") {
    // A blocking connect would stall the loop for connect_timeout.
    test::SilentServer silent;
    const std::string conninfo = silent.conninfo(30);

    test::NotifySocket notify;
    setenv("NOTIFY_SOCKET", notify.path().c_str(), 1);
    setenv("WATCHDOG_USEC", "1000000", 1); // a ping every half second
    auto log = "/tmp/leadrouter-watchdog-" + std::to_string(getpid()) + ".log";
    test::ChildProcess daemon(
        {LEADD_BINARY, "--config", test::write_example_config(), "--database", conninfo}, log);
    unsetenv("NOTIFY_SOCKET");
    unsetenv("WATCHDOG_USEC");

    REQUIRE(notify.wait_for("READY=1", 0, 10s));
    auto pings = [&] {
        size_t n = 0;
        for (const auto& message : notify.messages())
            n += message.find("WATCHDOG=1") != std::string::npos;
        return n;
    };
    // Four seconds into a connect that will not finish for thirty.
    CHECK(test::eventually([&] { return pings() >= 6; }, 4s));
    CHECK(daemon.running());
    daemon.signal(SIGTERM);
    CHECK(daemon.wait(10s) == 0);
}

TEST_CASE("leadweb speaks the notify protocol: READY once it listens, RELOADING/READY on SIGHUP, "
          "STOPPING on SIGTERM, and refuses to start without public_url or usable keys",
          "[service][leadweb]") {
    test::TestDatabase db;
    test::NotifySocket notify;
    const auto dir =
        std::filesystem::temp_directory_path() / ("leadweb-notify-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    const std::string secret = (dir / "web.secret").string();
    std::ofstream(secret) << "notify-test-key-0123456789abcdef0123456789\n";
    std::filesystem::permissions(secret, std::filesystem::perms::owner_read |
                                             std::filesystem::perms::owner_write);
    const auto config = test::write_example_config({test::web_at("https://leads.test", secret)});
    const std::string listen = "127.0.0.1:" + std::to_string(test::free_loopback_port());
    const std::string log = (dir / "leadweb.log").string();

    // Without public_url there is nothing to serve; a readable key is refused.
    CHECK(test::run_program(
              {LEADWEB_BINARY, "--config", test::write_example_config(), "--listen", listen},
              log) == 1);
    CHECK(test::read_text_file(log).find("system.web.public_url is not set") != std::string::npos);
    std::filesystem::permissions(secret, std::filesystem::perms::group_read,
                                 std::filesystem::perm_options::add);
    CHECK(test::run_program({LEADWEB_BINARY, "--config", config, "--check-config"}, log) == 1);
    CHECK(test::read_text_file(log).find("group or other users have access") != std::string::npos);
    std::filesystem::permissions(secret, std::filesystem::perms::group_read,
                                 std::filesystem::perm_options::remove);
    CHECK(test::run_program({LEADWEB_BINARY, "--config", config, "--check-config"}, log) == 0);

    setenv("NOTIFY_SOCKET", notify.path().c_str(), 1);
    test::ChildProcess web(
        {LEADWEB_BINARY, "--config", config, "--database", db.conninfo(), "--listen", listen}, log);
    unsetenv("NOTIFY_SOCKET");
    REQUIRE(notify.wait_for("READY=1", 0, 10s));
    size_t seen = notify.messages().size();
    web.signal(SIGHUP);
    CHECK(notify.wait_for("RELOADING=1", seen, 10s));
    CHECK(notify.wait_for("READY=1", seen + 1, 10s));
    seen = notify.messages().size();
    web.signal(SIGTERM);
    CHECK(notify.wait_for("STOPPING=1", seen, 10s));
    CHECK(web.wait(10s) == 0);
    std::filesystem::remove_all(dir);
}
