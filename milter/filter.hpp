// The libmilter side: the callbacks Postfix drives for every message, and
// the shared state they use. Only this file and filter.cpp know libmilter.
#pragma once

#include "connection_pool.hpp"
#include "lead_committer.hpp"
#include "notifier.hpp"
#include "runtime.hpp"

#include <atomic>
#include <memory>

namespace lr::milter {

struct FilterContext {
    RuntimeHolder* runtime = nullptr;
    ConnectionPool* pool = nullptr;
    LeadCommitter* committer = nullptr;
    Notifier* notifier = nullptr;
    std::atomic<long long> in_flight{0};
};

// Registers the callbacks with libmilter; ctx must outlive smfi_main.
bool register_filter(FilterContext& ctx);

} // namespace lr::milter
