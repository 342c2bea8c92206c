// The libmilter side: the callbacks Postfix drives for every message, and
// the shared state they use. Only this file and filter.cpp know libmilter.
#pragma once

#include "lead_committer.hpp"
#include "notifier.hpp"
#include "runtime.hpp"
#include "store/connection_pool.hpp"

#include <atomic>
#include <chrono>
#include <memory>
#include <semaphore>

namespace lr::milter {

// How long a message waits for a free slot or database connection before
// it gets 451: well inside Postfix's milter_command_timeout (30 s).
inline constexpr std::chrono::seconds message_wait{10};

struct FilterContext {
    RuntimeHolder* runtime = nullptr;
    store::ConnectionPool* pool = nullptr;
    LeadCommitter* committer = nullptr;
    Notifier* notifier = nullptr;
    // Messages classified and stored at once (system.milter.max_messages).
    std::counting_semaphore<1000>* message_slots = nullptr;
    std::atomic<long long> in_flight{0};
};

// Registers the callbacks with libmilter; ctx must outlive smfi_main.
bool register_filter(FilterContext& ctx);

} // namespace lr::milter
