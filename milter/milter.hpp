// leadmilter: the libmilter milter in Postfix's smtpd_milters (SPEC §4,
// §5). Loads the configuration, listens on system.milter.socket, reloads on
// SIGUSR1, tells systemd READY/RELOADING/STOPPING/WATCHDOG, and on SIGTERM
// lets the messages in progress finish before it exits.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace lr::milter {

int run_leadmilter(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

} // namespace lr::milter
