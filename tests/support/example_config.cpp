#include "example_config.hpp"

#include "process.hpp"
#include "working_zone.hpp"

#include <filesystem>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace lr::test {

std::string example_config_text(const Replacements& replacements) {
    std::string text = read_text_file(std::string(LEADROUTER_SPEC_DIR) + "/config-example.yaml");
    for (const auto& [from, to] : replacements) {
        auto at = text.find(from);
        if (at == std::string::npos)
            throw std::runtime_error("the example configuration has no \"" + from + "\"");
        text.replace(at, from.size(), to);
    }
    return text;
}

std::string write_example_config(const Replacements& replacements) {
    std::string text = example_config_text(replacements);
    auto path = std::filesystem::temp_directory_path() /
                ("leadrouter-test-" + std::to_string(getpid()) + "-" +
                 std::to_string(std::hash<std::string>{}(text)) + ".yaml");
    std::ofstream(path) << text;
    return path.string();
}

std::pair<std::string, std::string> expose_dir_at(const std::string& dir) {
    return {"  dealers_dir: null", "  expose_dir: \"" + dir + "\"\n  dealers_dir: null"};
}

Replacements round_the_clock() {
    const std::string example = example_config_text();
    const auto hours = example.find("    working_hours:");
    const auto escalation = example.find("    escalation:");
    return {{"timezone: Europe/Berlin", "timezone: \"" + working_zone() + "\""},
            {example.substr(hours, escalation - hours),
             round_the_clock_hours("    ") + "    holidays: []\n\n"},
            {"level1: 2h", "level1: 2m"},
            {"reminder: 30m", "reminder: 1m"},
            {"level2: 4h", "level2: 1m"},
            {"level2_resubmission: 24h", "level2_resubmission: 1h"}};
}

Replacements smtp_at(const std::string& address) {
    return {{"server: \"127.0.0.1:25\"", "server: \"" + address + "\""}};
}

Replacements pool_mode(bool notify_members) {
    Replacements out = {
        {"      enabled: false\n      user: pool\n      oldest_only: true\n      notify_members: "
         "false",
         std::string("      enabled: true\n      user: pool\n      oldest_only: true\n      "
                     "notify_members: ") +
             (notify_members ? "true" : "false")},
        {"    groups:                         # Verteilergruppen; first match wins\n      - id: "
         "neuwagen\n        match: {condition: new}\n        members: [schmidt, weber]",
         "    groups: []"}};
    for (int user = 0; user < 3; ++user) // schmidt, weber, yilmaz
        out.push_back({"receives_leads: true", "receives_leads: false"});
    return out;
}

std::string web_secret_in(const std::string& prefix, const std::string& database_name) {
    const auto dir = std::filesystem::temp_directory_path() /
                     (prefix + "-" + std::to_string(getpid()) + "-" + database_name);
    std::filesystem::create_directories(dir);
    const std::string secret = (dir / "web.secret").string();
    std::ofstream(secret) << prefix << "-link-key-0123456789abcdef0123456789abcdef\n";
    chmod(secret.c_str(), 0600);
    return secret;
}

std::pair<std::string, std::string> web_at(const std::string& public_url,
                                           const std::string& secret_file,
                                           const std::string& more_lines) {
    return {"  automanager_url:", "  web:\n    public_url: \"" + public_url +
                                      "\"\n    secret_file: \"" + secret_file + "\"\n" +
                                      more_lines + "  automanager_url:"};
}

} // namespace lr::test
