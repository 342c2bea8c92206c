#include "util/json.hpp"
#include "util/strings.hpp"
#include "util/table.hpp"

#include <catch2/catch.hpp>

using namespace lr::util;

TEST_CASE("string helpers", "[strings]") {
    CHECK(trim("  a b \r\n") == "a b");
    CHECK(to_lower("MüLLER") == "müller");
    CHECK(iequals("Dein.Auto", "dein.auto"));
    CHECK_FALSE(iequals("dein.auto", "dein.autos"));
    CHECK(split("a,,b", ',') == std::vector<std::string>{"a", "", "b"});
    CHECK(join({"a", "b", "c"}, ", ") == "a, b, c");
}

TEST_CASE("JSON text escapes quotes, backslashes and control characters, and replaces bytes "
          "that are not UTF-8",
          "[strings]") {
    CHECK(lr::json_text("Müller \"Auto\"\\\n\t\x01") == "\"Müller \\\"Auto\\\"\\\\\\n\\t\\u0001\"");
    CHECK(lr::json_text(std::string("a\xff") + "b") == "\"a\xef\xbf\xbd"
                                                       "b\"");
}

TEST_CASE("tables align by characters, not bytes", "[table]") {
    auto text = render_table({"ID", "NAME"}, {{"yilmaz", "Deniz Yılmaz"}, {"w", "Jonas"}});
    CHECK(text == "ID      NAME\n"
                  "yilmaz  Deniz Yılmaz\n"
                  "w       Jonas\n");
    CHECK(display_width("Yılmaz") == 6);
}

TEST_CASE("without_angles strips one pair of angle brackets", "[strings]") {
    CHECK(lr::util::without_angles("<a@b.example>") == "a@b.example");
    CHECK(lr::util::without_angles("a@b.example") == "a@b.example");
    CHECK(lr::util::without_angles("<>").empty());
    CHECK(lr::util::without_angles("<") == "<");
}
