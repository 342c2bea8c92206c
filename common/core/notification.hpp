// Who gets the mail of a due event (SPEC §6, §7): the addressee, plus the
// addressee's substitute while the addressee is absent, plus the pool's
// members for a pool lead's assignment notice when pool.notify_members is
// set. An event of a lead that was closed or attached elsewhere is
// cancelled instead.
#pragma once

#include "core/config.hpp"
#include "core/zoned_time.hpp"

#include <set>
#include <string>
#include <vector>

namespace lr::core {

struct DueEvent {
    long long id = 0;
    long long lead_id = 0;
    std::string dealer_id;
    std::string kind;
    std::string addressee;
    std::string lead_state;
    Instant due;
};

struct Firing {
    bool send = false;
    std::string reason;              // why it is cancelled
    std::vector<std::string> users;  // who gets it: addressee first
    std::vector<std::string> emails; // their addresses, same order
};

Firing decide_firing(const Dealer* dealer, const DueEvent& event,
                     const std::set<std::string>& absent);

} // namespace lr::core
