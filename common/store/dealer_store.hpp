// Work of dealers that are no longer configured (issue #13). A dealer
// whose file was deleted, renamed or broken keeps everything: its new
// leads wait unassigned, its reminders and escalations stay pending, its
// queued mails stay queued, and leadd logs the counts at each reload,
// until the dealer is configured again (then everything resumes) or is
// retired on purpose with `leadctl dealer retire`.
#pragma once

#include "core/zoned_time.hpp"
#include "store/pg.hpp"

#include <string>
#include <vector>

namespace lr::store {

struct DealerWork {
    std::string dealer_id;
    long long new_leads = 0;      // never assigned
    long long open_leads = 0;     // assigned or responded
    long long pending_events = 0; // reminders, escalations, notices not yet fired
    long long queued_mails = 0;   // outbox mails not yet sent
    bool empty() const {
        return new_leads == 0 && open_leads == 0 && pending_events == 0 && queued_mails == 0;
    }
};

// The waiting work of every dealer in the database that is not among
// configured, one row per dealer.
Statement unconfigured_work(const std::vector<std::string>& configured);
std::vector<DealerWork> read_dealer_work(const Rows& rows);

// The same for one dealer.
Result<DealerWork> dealer_work(Connection& connection, const std::string& dealer_id);

// Retires the dealer in one transaction: its new leads are closed, its
// pending events cancelled, its queued mails failed ("dealer retired");
// assigned leads, messages and the audit trail stay as history. Returns
// what it changed.
Result<DealerWork> retire_dealer(Connection& connection, const std::string& dealer_id,
                                 core::Instant now);

} // namespace lr::store
