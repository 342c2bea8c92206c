// leadd: the lead daemon. For now it loads and validates its configuration
// and refuses to start without a migrated database; the event loop,
// assignment, scheduler and outbox arrive with their issues (#4, #5, #6).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace lr::daemon {

int run_leadd(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

} // namespace lr::daemon
