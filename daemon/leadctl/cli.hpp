// leadctl: the sysadmin CLI. run_leadctl is the whole program; main() only
// forwards argv, so tests run exactly what ships, in process.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace lr::ctl {

int run_leadctl(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

} // namespace lr::ctl
