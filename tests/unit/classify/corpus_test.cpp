// The mail corpus (fixtures/mail, written by make_corpus.py): `leadctl
// classify` prints each message's expected record, byte for byte.
#include "cli.hpp"
#include "process.hpp"
#include "test_database.hpp"
#include "util/json.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

std::string read_file(const fs::path& path) {
    return lr::test::read_text_file(path.string());
}

std::vector<fs::path> corpus() {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(lr::test::fixture_path("mail")))
        if (entry.path().extension() == ".eml")
            files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

} // namespace

TEST_CASE("leadctl classify prints the expected record of every corpus message",
          "[classify][fixtures]") {
    auto files = corpus();
    REQUIRE(files.size() >= 50);
    const std::string config = lr::test::fixture_path("mail/leadrouter.yaml");
    for (const auto& file : files) {
        auto expected_path = fs::path(file).replace_extension(".json");
        INFO(file.filename().string());
        REQUIRE(fs::exists(expected_path));
        std::ostringstream out;
        std::ostringstream err;
        int rc = lr::ctl::run_leadctl({"classify", "--config", config, file.string()}, out, err);
        INFO(err.str());
        CHECK(rc == 0);
        // The same record, however it is laid out.
        const auto printed = lr::Json::parse(out.str(), nullptr, false);
        CHECK_FALSE(printed.is_discarded());
        CHECK(printed == lr::Json::parse(read_file(expected_path)));
    }
}

TEST_CASE("the corpus covers both line endings, every transfer encoding and charset",
          "[classify][fixtures]") {
    bool crlf = false;
    bool lf = false;
    std::string all;
    for (const auto& file : corpus()) {
        std::string bytes = read_file(file);
        (bytes.find("\r\n") != std::string::npos ? crlf : lf) = true;
        all += bytes;
    }
    CHECK(crlf);
    CHECK(lf);
    for (const char* needle :
         {"Content-Transfer-Encoding: 7bit", "Content-Transfer-Encoding: 8bit",
          "Content-Transfer-Encoding: quoted-printable", "Content-Transfer-Encoding: base64",
          "charset=utf-8", "charset=iso-8859-1", "charset=iso-8859-15", "charset=windows-1252",
          "=?UTF-8?B?", "=?ISO-8859-1?Q?", "multipart/alternative", "multipart/mixed",
          "message/rfc822", "text/html"}) {
        INFO(needle);
        CHECK(all.find(needle) != std::string::npos);
    }
}

TEST_CASE("leadctl classify: a file that is no message exits 2 with a message", "[classify]") {
    std::ostringstream out;
    std::ostringstream err;
    CHECK(lr::ctl::run_leadctl({"classify", "/dev/null"}, out, err) == 2);
    CHECK(err.str().find("not a mail message") != std::string::npos);
    CHECK(lr::ctl::run_leadctl({"classify", "/nonexistent.eml"}, out, err) == 2);
    CHECK(err.str().find("cannot read") != std::string::npos);
}

TEST_CASE("leadctl classify reads a file at its size and a pipe (<(…)) as a stream, alike",
          "[classify]") {
    const std::string mail =
        lr::test::read_text_file(lr::test::fixture_path("mail/person-plain.eml"));
    std::ostringstream from_file, err;
    REQUIRE(lr::ctl::run_leadctl({"classify", lr::test::fixture_path("mail/person-plain.eml")},
                                 from_file, err) == 0);
    const auto fifo = std::filesystem::temp_directory_path() /
                      ("leadrouter-classify-" + std::to_string(getpid()) + ".fifo");
    std::filesystem::remove(fifo);
    REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
    std::thread writer([&] { std::ofstream(fifo) << mail; });
    std::ostringstream from_pipe;
    const int rc = lr::ctl::run_leadctl({"classify", fifo.string()}, from_pipe, err);
    writer.join();
    std::filesystem::remove(fifo);
    CHECK(rc == 0);
    CHECK(from_pipe.str() == from_file.str());
}
