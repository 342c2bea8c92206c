#include "util/args.hpp"

#include <catch2/catch.hpp>

using namespace lr::util;

namespace {
const std::vector<OptionSpec> specs = {{"config", true, "file"}, {"json", false, "json"}};
}

TEST_CASE("options: --name value, --name=value, flags and positionals", "[args]") {
    auto parsed = parse_args({"import", "--config", "a.yaml", "--json", "file.csv"}, specs);
    REQUIRE(parsed);
    CHECK(parsed->value("config") == "a.yaml");
    CHECK(parsed->has("json"));
    CHECK(parsed->positional == std::vector<std::string>{"import", "file.csv"});

    auto inline_value = parse_args({"--config=b.yaml"}, specs);
    REQUIRE(inline_value);
    CHECK(inline_value->value("config") == "b.yaml");

    auto after_dashes = parse_args({"--", "--json"}, specs);
    REQUIRE(after_dashes);
    CHECK(after_dashes->positional == std::vector<std::string>{"--json"});
}

TEST_CASE("options: unknown, missing value, value on a flag are errors", "[args]") {
    CHECK(parse_args({"--bogus"}, specs).error().message == "unknown option --bogus");
    CHECK(parse_args({"-x"}, specs).error().message == "unknown option -x");
    CHECK(parse_args({"--config"}, specs).error().message == "--config needs a value");
    CHECK(parse_args({"--json=1"}, specs).error().message == "--json takes no value");
}
