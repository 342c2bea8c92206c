// Running leadctl in process, as the tests do: exit code and both streams.
#pragma once

#include "cli.hpp"

#include <sstream>
#include <string>
#include <vector>

namespace lr::test {

struct CliRun {
    int rc;
    std::string out;
    std::string err;
};

inline CliRun run_leadctl(const std::vector<std::string>& args) {
    std::ostringstream out;
    std::ostringstream err;
    int rc = ctl::run_leadctl(args, out, err);
    return {rc, out.str(), err.str()};
}

} // namespace lr::test
