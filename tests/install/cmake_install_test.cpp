// `cmake --install` for people who do not use the Debian package (issue
// #19): everything lands where GNUInstallDirs says, the units name the
// installed binaries, and a second install keeps the sysadmin's
// configuration.
#include "process.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace lr;
namespace fs = std::filesystem;

namespace {

struct InstallTree {
    fs::path prefix =
        fs::temp_directory_path() / ("leadrouter-install-" + std::to_string(getpid()));
    fs::path log = prefix.string() + ".log";
    InstallTree() { fs::remove_all(prefix); }
    ~InstallTree() {
        fs::remove_all(prefix);
        fs::remove(log);
    }
    int install() const {
        return test::run_program(
            {CMAKE_COMMAND_PATH, "--install", LEADROUTER_BUILD_DIR, "--prefix", prefix.string()},
            log.string());
    }
};

} // namespace

TEST_CASE("cmake --install puts binaries, units, man pages, configuration and rules under the "
          "prefix, and keeps an existing configuration",
          "[install]") {
    InstallTree tree;
    REQUIRE(tree.install() == 0);
    INFO(test::read_text_file(tree.log.string()));
    const fs::path& p = tree.prefix;
    for (const char* binary : {"sbin/leadmilter", "sbin/leadd", "sbin/leadweb", "sbin/leadctl"}) {
        INFO(binary);
        CHECK(access((p / binary).c_str(), X_OK) == 0);
    }
    for (const char* file :
         {"share/man/man8/leadmilter.8", "share/man/man8/leadd.8", "share/man/man8/leadweb.8",
          "share/man/man8/leadctl.8", "share/man/man5/leadrouter.yaml.5",
          "lib/tmpfiles.d/leadmilter.conf", "lib/tmpfiles.d/leadrouter.conf",
          "lib/sysusers.d/leadrouter.conf", "share/doc/leadrouter/examples/dealers.d/mueller.yaml",
          "share/doc/leadrouter/README.md"}) {
        INFO(file);
        CHECK(fs::is_regular_file(p / file));
    }
    CHECK(fs::is_directory(p / "etc/leadrouter/dealers.d"));

    // The units start this prefix's binaries with this prefix's configuration.
    auto unit = test::read_text_file((p / "lib/systemd/system/leadd.service").string());
    CHECK(unit.find("ExecStart=" + (p / "sbin/leadd").string() + "\n") != std::string::npos);
    CHECK(unit.find("LEADROUTER_CONFIG=" + (p / "etc/leadrouter/leadrouter.yaml").string()) !=
          std::string::npos);
    CHECK(unit.find("/usr/sbin/") == std::string::npos);
    auto milter_unit = test::read_text_file((p / "lib/systemd/system/leadmilter.service").string());
    CHECK(milter_unit.find("ExecStart=" + (p / "sbin/leadmilter").string() + "\n") !=
          std::string::npos);
    auto web_unit = test::read_text_file((p / "lib/systemd/system/leadweb.service").string());
    CHECK(web_unit.find("ExecStart=" + (p / "sbin/leadweb").string() + "\n") != std::string::npos);

    // The installed example is a configuration the installed leadctl accepts.
    const auto config = (p / "etc/leadrouter/leadrouter.yaml").string();
    CHECK(test::run_program({(p / "sbin/leadctl").string(), "check", "--config", config},
                            tree.log.string()) == 0);

    // A second install over a changed configuration keeps it.
    { std::ofstream(config, std::ios::app) << "# changed by the sysadmin\n"; }
    REQUIRE(tree.install() == 0);
    CHECK(test::read_text_file(config).find("# changed by the sysadmin") != std::string::npos);
    CHECK(test::read_text_file(tree.log.string()).find("Kept: ") != std::string::npos);
}
