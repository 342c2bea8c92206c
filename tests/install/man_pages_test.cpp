// The man pages (issue #19) are held to the programs: each renders without
// a warning, leadctl(8) has every command and option leadctl knows,
// leadmilter(8) and leadd(8) every option, and leadrouter.yaml(5) every
// key the loader reads, each with its default and seed term, and no key
// the loader does not know.
#include "config/loader.hpp"
#include "leadctl_run.hpp"
#include "man_page.hpp"
#include "process.hpp"
#include "test_database.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <unistd.h>

using namespace lr;

namespace {

std::string man_path(const std::string& name) {
    return std::string(LEADROUTER_SOURCE_DIR) + "/man/" + name;
}

std::string temp_log(const std::string& what) {
    return (std::filesystem::temp_directory_path() /
            ("leadrouter-" + what + "-" + std::to_string(getpid()) + ".log"))
        .string();
}

// "--config", "--dealer", ... as a --help text lists them.
std::set<std::string> options_in(const std::string& help) {
    std::set<std::string> options;
    std::regex option(R"(^\s+(--[a-z][a-z-]*))");
    std::istringstream lines(help);
    for (std::string line; std::getline(lines, line);)
        if (std::smatch match; std::regex_search(line, match, option))
            options.insert(match[1]);
    return options;
}

std::string leadctl_output(const std::vector<std::string>& args) {
    auto run = test::run_leadctl(args);
    return run.out + run.err;
}

std::string program_help(const std::string& binary) {
    auto log = temp_log("help");
    std::filesystem::remove(log);
    test::run_program({binary, "--help"}, log);
    auto text = test::read_text_file(log);
    std::filesystem::remove(log);
    return text;
}

const test::ManEntry* entry_tagged(const std::vector<test::ManEntry>& entries,
                                   const std::string& first_word) {
    for (const auto& entry : entries)
        for (const auto& tag : entry.tags)
            if (tag == first_word || tag.rfind(first_word + " ", 0) == 0)
                return &entry;
    return nullptr;
}

// dealers[mueller].users[weber].email -> users[].email; system keys stay.
std::string documented_name(const std::string& key) {
    std::string name = std::regex_replace(key, std::regex(R"(\[[^\]]*\])"), "[]");
    if (name.rfind("dealers[].", 0) == 0)
        name.erase(0, std::string("dealers[].").size());
    return name;
}

} // namespace

TEST_CASE("every man page renders without a warning (man --warnings)", "[man]") {
    for (const char* page : {"leadmilter.8", "leadd.8", "leadctl.8", "leadrouter.yaml.5"}) {
        INFO(page);
        auto log = temp_log("man");
        std::filesystem::remove(log);
        // Only the warnings go to the log: the rendered page is thrown away.
        int rc = test::run_program({"/bin/sh", "-c",
                                    "MANWIDTH=80 man --warnings -l \"$0\" 2>&1 >/dev/null",
                                    man_path(page)},
                                   log);
        CHECK(rc == 0);
        CHECK(test::read_text_file(log).empty());
        std::filesystem::remove(log);
        const auto sections = test::read_man_page(man_path(page)).sections;
        for (const char* section : {"NAME", "SYNOPSIS", "DESCRIPTION", "FILES", "SEE ALSO"})
            CHECK(sections.count(section) == 1);
    }
}

TEST_CASE("leadctl(8) describes every command leadctl has and every option of each", "[man]") {
    auto page = test::read_man_page(man_path("leadctl.8"));
    const auto& commands = page.sections["COMMANDS"];
    const auto common = options_in(leadctl_output({"check", "--help"}));
    std::string common_text;
    for (const auto& entry : page.sections["COMMON OPTIONS"])
        for (const auto& tag : entry.tags)
            common_text += tag + "\n";

    std::regex command_line(R"(^  ([a-z-]+)\s{2,})");
    std::istringstream overview(leadctl_output({"--help"}));
    size_t seen = 0;
    for (std::string line; std::getline(overview, line);) {
        std::smatch match;
        if (!std::regex_search(line, match, command_line))
            continue;
        const std::string name = match[1];
        ++seen;
        INFO("leadctl " << name);
        const auto* entry = entry_tagged(commands, name);
        REQUIRE(entry != nullptr);
        const std::string described = entry->tags.front() + " " + entry->body;
        for (const auto& option : options_in(leadctl_output({name, "--help"}))) {
            INFO(option);
            if (described.find(option) == std::string::npos)
                CHECK(common_text.find(option) != std::string::npos);
        }
    }
    CHECK(seen >= 17);
    CHECK(commands.size() == seen); // and no command the program does not have
    CHECK(common.count("--config") == 1);
}

TEST_CASE("leadmilter(8), leadd(8) and leadweb(8) describe every option of the program", "[man]") {
    for (auto [page_name, binary] :
         {std::pair{"leadmilter.8", LEADMILTER_BINARY}, std::pair{"leadd.8", LEADD_BINARY},
          std::pair{"leadweb.8", LEADWEB_BINARY}}) {
        auto page = test::read_man_page(man_path(page_name));
        const auto options = options_in(program_help(binary));
        REQUIRE(options.size() >= 4);
        for (const auto& option : options) {
            INFO(page_name << ": " << option);
            bool found = false;
            for (const auto& entry : page.sections["OPTIONS"])
                for (const auto& tag : entry.tags)
                    found = found || tag == option || tag.rfind(option + " ", 0) == 0;
            CHECK(found);
        }
    }
}

TEST_CASE("leadrouter.yaml(5) describes every key the loader reads, with its default and seed "
          "term, and no key it does not read",
          "[man]") {
    std::set<std::string> keys;
    for (const auto& file : {std::string(LEADROUTER_SOURCE_DIR) + "/conf/leadrouter.yaml",
                             std::string(LEADROUTER_SPEC_DIR) + "/config-example.yaml",
                             test::fixture_path("config/valid/every-key.yaml")}) {
        auto loaded = config::load_config_file(file);
        INFO(file);
        REQUIRE(loaded.config);
        for (const auto& key : loaded.config->sources.asked_keys())
            keys.insert(documented_name(key));
    }
    REQUIRE(keys.size() > 80);

    auto page = test::read_man_page(man_path("leadrouter.yaml.5"));
    std::map<std::string, const test::ManEntry*> documented;
    for (const char* section : {"SYSTEM KEYS", "DEALER KEYS"})
        for (const auto& entry : page.sections[section])
            for (const auto& tag : entry.tags)
                documented[tag] = &entry;

    for (const auto& key : keys) {
        INFO("key " << key);
        auto it = documented.find(key);
        REQUIRE(it != documented.end());
        CHECK(it->second->body.find("Default:") != std::string::npos);
        CHECK(it->second->body.find("Seed:") != std::string::npos);
    }
    for (const auto& [key, entry] : documented) {
        INFO("documented key " << key);
        CHECK(keys.count(key) == 1);
    }
}

TEST_CASE("the man page reader: tags, bodies and plain text", "[man]") {
    CHECK(test::man_plain(R"(\fB\-\-config\fR \(lqx\(rq)") == "--config \"x\"");
    auto path = temp_log("page");
    {
        std::ofstream out(path);
        out << ".SH KEYS\n.TP\n.B a.b\nText\n.BR c .\n.TP\n.B x\n.TQ\n.B y\nMore\n.SH END\n";
    }
    auto page = test::read_man_page(path);
    REQUIRE(page.sections["KEYS"].size() == 2);
    CHECK(page.sections["KEYS"][0].tags == std::vector<std::string>{"a.b"});
    CHECK(page.sections["KEYS"][0].body == "Text c. ");
    CHECK(page.sections["KEYS"][1].tags == std::vector<std::string>{"x", "y"});
    std::filesystem::remove(path);
}
