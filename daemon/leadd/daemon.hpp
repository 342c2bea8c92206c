// leadd: the lead daemon (SPEC §6–§8). One libevent loop runs the
// assigner (new leads, on LISTEN/NOTIFY), the scheduler (reminders and
// escalations, one timer) and the outbox sender (SMTP through libcurl);
// SIGHUP reloads the configuration, SIGTERM lets the work in flight
// finish, systemd hears READY/RELOADING/STOPPING/WATCHDOG.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace lr::daemon {

int run_leadd(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

} // namespace lr::daemon
