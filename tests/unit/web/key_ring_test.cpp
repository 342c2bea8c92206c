// Issue #15: the link keys' file (system.web.secret_file).
#include "web/key_ring.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

using namespace lr;

namespace {

struct KeyFile {
    explicit KeyFile(const std::string& text, mode_t mode = 0600) {
        path = std::filesystem::temp_directory_path() /
               ("leadrouter-keys-" + std::to_string(getpid()) + "-" + std::to_string(++n));
        std::ofstream(path) << text;
        chmod(path.c_str(), mode);
    }
    ~KeyFile() { std::filesystem::remove(path); }
    std::string path;
    static inline int n = 0;
};

const std::string key_a(64, 'a');
const std::string key_b(40, 'b');

} // namespace

TEST_CASE("the key file: one or two keys, the first signs, comments and blank lines ignored",
          "[web][keys]") {
    KeyFile one(key_a + "\n");
    auto ring = web::read_key_ring(one.path);
    REQUIRE(ring);
    CHECK(ring->keys == std::vector<std::string>{key_a});

    KeyFile two("# new key first, old one until its links expire\n" + key_b + "\r\n\n  " + key_a +
                "  \n");
    ring = web::read_key_ring(two.path);
    REQUIRE(ring);
    CHECK(ring->keys == std::vector<std::string>{key_b, key_a});
}

TEST_CASE("the key file is refused when others can read it, a key is short, or it is not a "
          "plain file",
          "[web][keys]") {
    KeyFile readable(key_a + "\n", 0640);
    auto refused = web::read_key_ring(readable.path);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message ==
          "secret_file " + readable.path +
              ": group or other users have access (chmod 0600, owned by the user leadd and "
              "leadweb run as)");

    KeyFile short_key("tooshort\n");
    refused = web::read_key_ring(short_key.path);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message == "secret_file " + short_key.path +
                                         ": line 1: a key needs at least 32 characters "
                                         "(openssl rand -hex 32)");

    KeyFile three(key_a + "\n" + key_b + "\n" + key_a + "\n");
    CHECK_FALSE(web::read_key_ring(three.path));
    KeyFile empty("# nothing\n");
    CHECK_FALSE(web::read_key_ring(empty.path));
    CHECK_FALSE(web::read_key_ring("/nonexistent/web.secret"));

    KeyFile target(key_a + "\n");
    const std::string link = target.path + "-link";
    REQUIRE(symlink(target.path.c_str(), link.c_str()) == 0);
    refused = web::read_key_ring(link);
    std::filesystem::remove(link);
    CHECK_FALSE(refused); // O_NOFOLLOW: a link could point anywhere
}
