// Owners for libevent handles.
#pragma once

#include <event2/event.h>
#include <memory>

namespace lr::daemon {

struct EventBaseDeleter {
    void operator()(event_base* base) const { event_base_free(base); }
};
struct EventDeleter {
    void operator()(event* ev) const { event_free(ev); }
};

using EventBase = std::unique_ptr<event_base, EventBaseDeleter>;
using Event = std::unique_ptr<event, EventDeleter>;

} // namespace lr::daemon
