// The systemd service protocol (Type=notify): READY=1 when the loop runs,
// RELOADING=1 … READY=1 around a reload, STOPPING=1 on the way out,
// WATCHDOG=1 from a loop timer at half the configured WatchdogSec, STATUS=
// lines for `systemctl status`. Without NOTIFY_SOCKET all of it is a no-op.
#pragma once

#include "event_handles.hpp"

#include <string>

namespace lr::daemon {

class ServiceNotify {
public:
    explicit ServiceNotify(event_base* base);
    void ready(const std::string& status);
    void reloading();
    void stopping();
    void status(const std::string& status);

private:
    static void on_watchdog(evutil_socket_t, short, void* self) noexcept;
    Event m_watchdog;
};

} // namespace lr::daemon
