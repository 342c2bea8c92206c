// The times of SPEC §7's two tables, from the configuration alone: when a
// reminder, level 1 and level 2 come due and when their mails may go out,
// for a lead received (or reassigned) at r, and for a resubmission at w.
#pragma once

#include "core/calendar.hpp"
#include "core/config.hpp"
#include "util/result.hpp"

#include <optional>

namespace lr::core {

struct DueSend {
    Instant due;
    Instant send;
    friend bool operator==(const DueSend&, const DueSend&) = default;
};

struct EscalationPlan {
    Instant received;
    Instant notice;                  // the assignment notice: next_open(r)
    std::optional<DueSend> reminder; // none when reminder is 0 or not after r
    DueSend level1;                  // sent at L1 itself
    DueSend level2;
};

struct ResubmissionPlan {
    DueSend resubmission;
    DueSend level2_resubmission;
};

// Errors (invalid_input) when the calendar has no working time at all.
Result<EscalationPlan> plan_received(const Dealer& dealer, const BusinessCalendar& calendar,
                                     Instant received);
Result<ResubmissionPlan> plan_resubmission(const Dealer& dealer, const BusinessCalendar& calendar,
                                           Instant resubmission);

} // namespace lr::core
