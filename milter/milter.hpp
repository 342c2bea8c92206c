// leadmilter: the libmilter milter in Postfix's smtpd_milters. For now it
// validates its configuration; classification, storage and forwarding
// arrive with issue #3.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace lr::milter {

int run_leadmilter(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

} // namespace lr::milter
