// leadd: the lead daemon (SPEC §6). One libevent loop: LISTEN for new
// leads, assign them in batches, reload the configuration on SIGHUP, stop
// after the current batch on SIGTERM. The scheduler and the outbox join
// this loop with their issues (#5, #6).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace lr::daemon {

int run_leadd(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

} // namespace lr::daemon
