#include "util/csv.hpp"

#include <catch2/catch.hpp>

using lr::util::parse_csv;

TEST_CASE("CSV: quoted fields, doubled quotes, line breaks inside quotes", "[csv]") {
    auto records = parse_csv("a,b,c\n1,\"x, \"\"y\"\"\",\"two\nlines\"\n2,,z\n");
    REQUIRE(records);
    REQUIRE(records->size() == 3);
    CHECK((*records)[1].fields == std::vector<std::string>{"1", "x, \"y\"", "two\nlines"});
    CHECK((*records)[1].line == 2);
    CHECK((*records)[2].line == 4); // the quoted line break counts
    CHECK((*records)[2].fields == std::vector<std::string>{"2", "", "z"});
}

TEST_CASE("CSV: semicolons when the header has more of them, CRLF, BOM, blank lines", "[csv]") {
    auto records = parse_csv("\xEF\xBB\xBFnr;make\r\n1;Opel, Astra\r\n\r\n2;VW\r\n");
    REQUIRE(records);
    REQUIRE(records->size() == 3);
    CHECK((*records)[0].fields == std::vector<std::string>{"nr", "make"});
    CHECK((*records)[1].fields == std::vector<std::string>{"1", "Opel, Astra"});
    CHECK((*records)[2].fields == std::vector<std::string>{"2", "VW"});
    CHECK((*records)[2].line == 4);
}

TEST_CASE("CSV: broken quoting is an error with its line", "[csv]") {
    auto unclosed = parse_csv("a,b\n1,\"open\n2,3\n");
    REQUIRE_FALSE(unclosed);
    CHECK(unclosed.error().message == "line 2: a quoted field is never closed");
    auto stray = parse_csv("a,b\n1,x\"y\n");
    REQUIRE_FALSE(stray);
    CHECK(stray.error().message == "line 2: a quote inside an unquoted field");
    auto trailing = parse_csv("a,b\n1,\"x\"y\n");
    REQUIRE_FALSE(trailing);
    CHECK(trailing.error().message == "line 2: text after the closing quote of a field");
}
