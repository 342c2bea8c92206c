// The demo's exit status (issue #19): 0 when every step succeeded, not 0
// when one failed, and in both cases nothing it started is left running
// and none of its temporary directories is left behind.
#include "process.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace lr;
namespace fs = std::filesystem;

namespace {

struct DemoRun {
    fs::path tmp = fs::temp_directory_path() / ("leadrouter-demo-test-" + std::to_string(getpid()));
    fs::path log = tmp.string() + ".log";
    DemoRun() {
        fs::remove_all(tmp);
        fs::create_directories(tmp);
        fs::permissions(tmp, fs::perms::all); // the servers' users make their directories here
    }
    ~DemoRun() {
        fs::remove_all(tmp);
        fs::remove(log);
    }
    int run(const std::string& build) const {
        return test::run_program({"/usr/bin/env", "LEADROUTER_DEMO_BUILD=" + build,
                                  "TMPDIR=" + tmp.string(), "bash",
                                  std::string(LEADROUTER_SOURCE_DIR) + "/scripts/demo.sh"},
                                 log.string());
    }
    // Nothing under tmp (every server's directory is removed), and no
    // process still names it (every server is stopped).
    bool left_clean() const {
        if (!fs::is_empty(tmp))
            return false;
        return test::run_program({"pgrep", "-f", tmp.string()}) == 1;
    }
};

} // namespace

TEST_CASE("the demo exits 0 after its report and leaves nothing running", "[demo]") {
    DemoRun demo;
    const int rc = demo.run(LEADROUTER_BUILD_DIR);
    INFO(test::read_text_file(demo.log.string()));
    CHECK(rc == 0);
    CHECK(
        test::read_text_file(demo.log.string()).find("done: everything started here is stopped") !=
        std::string::npos);
    CHECK(demo.left_clean());
}

TEST_CASE("the demo exits non-zero when a step fails, and still stops what it started", "[demo]") {
    DemoRun demo;
    // A build whose leadd fails: the step that runs it must fail the demo.
    const fs::path broken = demo.tmp / "broken-build";
    fs::create_directories(broken / "daemon");
    fs::create_directories(broken / "milter");
    fs::create_symlink(LEADCTL_BINARY, broken / "daemon/leadctl");
    fs::create_symlink(LEADMILTER_BINARY, broken / "milter/leadmilter");
    fs::create_symlink("/bin/false", broken / "daemon/leadd");
    const int rc = demo.run(broken.string());
    INFO(test::read_text_file(demo.log.string()));
    CHECK(rc != 0);
    CHECK(test::read_text_file(demo.log.string()).find("done: everything") == std::string::npos);
    fs::remove_all(broken);
    CHECK(demo.left_clean());
}
