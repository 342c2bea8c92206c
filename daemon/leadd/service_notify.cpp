#include "service_notify.hpp"

#include <systemd/sd-daemon.h>

namespace lr::daemon {

ServiceNotify::ServiceNotify(event_base* base) {
    uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
        m_watchdog.reset(event_new(base, -1, EV_PERSIST, &ServiceNotify::on_watchdog, this));
        uint64_t half = usec / 2;
        timeval interval{static_cast<time_t>(half / 1000000),
                         static_cast<suseconds_t>(half % 1000000)};
        event_add(m_watchdog.get(), &interval);
    }
}

void ServiceNotify::on_watchdog(evutil_socket_t, short, void*) noexcept {
    // Sent from the loop: a hung loop stops it and systemd restarts us.
    sd_notify(0, "WATCHDOG=1");
}

void ServiceNotify::ready(const std::string& status) {
    sd_notify(0, ("READY=1\nSTATUS=" + status).c_str());
}

void ServiceNotify::reloading() {
    sd_notify(0, "RELOADING=1\nSTATUS=reloading the configuration");
}

void ServiceNotify::stopping() {
    sd_notify(0, "STOPPING=1\nSTATUS=stopping");
}

void ServiceNotify::status(const std::string& status) {
    sd_notify(0, ("STATUS=" + status).c_str());
}

} // namespace lr::daemon
