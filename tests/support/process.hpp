// Running a helper program from a test (initdb, pg_ctl, ...) without a
// shell: arguments are passed as they are, output goes to a log file.
#pragma once

#include <string>
#include <vector>

namespace lr::test {

// The exit status, or -1 when the program could not be started.
int run_program(const std::vector<std::string>& argv, const std::string& log_file = "/dev/null");

} // namespace lr::test
