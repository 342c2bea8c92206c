#include "core/address.hpp"

#include <catch2/catch.hpp>

using namespace lr::core;

TEST_CASE("addresses: a plain addr-spec with a dotted domain", "[address]") {
    for (const char* good : {"mueller@dein.auto", "a.schmidt@autohaus-mueller.example",
                             "mueller+tag@dein.auto", "X_Y@sub.domain.example"}) {
        INFO(good);
        CHECK(is_valid_address(good));
    }
    for (const char* bad : {"", "verkauf at mueller", "@dein.auto", "mueller@", "mueller@auto",
                            "a..b@dein.auto", ".a@dein.auto", "a@-x.example", "a b@dein.auto",
                            "\"Name\" <a@b.example>", "a@b_c.example"}) {
        INFO(bad);
        CHECK_FALSE(is_valid_address(bad));
    }
}

TEST_CASE("addresses compare in lower case", "[address]") {
    CHECK(canonical_address(" Mueller@Dein.AUTO ") == "mueller@dein.auto");
}
