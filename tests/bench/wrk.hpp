// wrk, the HTTP load tool, run from a benchmark: its report and the
// numbers read off it.
#pragma once

#include "process.hpp"

#include <filesystem>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

namespace lr::bench {

inline std::string run_wrk(const std::vector<std::string>& arguments,
                           const std::filesystem::path& log) {
    std::vector<std::string> argv = {"/usr/bin/wrk"};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    if (test::run_program(argv, log.string()) != 0)
        throw std::runtime_error("wrk failed, see " + log.string());
    return test::read_text_file(log.string());
}

inline double requests_per_second(const std::string& report) {
    std::smatch match;
    if (!std::regex_search(report, match, std::regex(R"(Requests/sec:\s+([0-9.]+))")))
        throw std::runtime_error("no Requests/sec in wrk's report:\n" + report);
    return std::stod(match[1]);
}

// The report's line that starts with start ("    99%", "Non-2xx"), or "".
inline std::string line_with(const std::string& report, const std::string& start) {
    const auto at = report.find(start);
    return at == std::string::npos ? "" : report.substr(at, report.find('\n', at) - at);
}

} // namespace lr::bench
