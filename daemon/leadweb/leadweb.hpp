// leadweb (issue #15): the HTTP process behind the links in notices. Its
// own process and unit: hostile HTTP never shares a process with leadd's
// scheduler or with the milter.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace lr::leadweb {

int run_leadweb(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

} // namespace lr::leadweb
