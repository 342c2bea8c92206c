#include "core/escalation_plan.hpp"

namespace lr::core {

namespace {

Error no_working_time(const Dealer& dealer) {
    return make_error(ErrorCode::invalid_input,
                      "dealer " + dealer.id +
                          " has no working time at all (working_hours is empty), so level 1 "
                          "can never come due");
}

} // namespace

Result<EscalationPlan> plan_received(const Dealer& dealer, const BusinessCalendar& calendar,
                                     Instant received) {
    const auto& escalation = dealer.escalation;
    auto level1 = calendar.business_add(received, escalation.level1);
    auto notice = calendar.next_open(received);
    if (!level1 || !notice)
        return no_working_time(dealer);
    EscalationPlan plan{received, *notice, std::nullopt, {*level1, *level1}, {}};
    if (escalation.reminder.count() > 0) {
        Instant due = *level1 - escalation.reminder;
        if (due > received)
            plan.reminder = DueSend{due, *calendar.next_open(due)};
    }
    Instant level2 = *level1 + escalation.level2;
    plan.level2 = {level2, *calendar.next_open(level2)};
    return plan;
}

Result<ResubmissionPlan> plan_resubmission(const Dealer& dealer, const BusinessCalendar& calendar,
                                           Instant resubmission) {
    const bool respect = dealer.resubmission_respects_hours;
    Instant send = resubmission;
    if (respect) {
        auto open = calendar.next_open(resubmission);
        if (!open)
            return no_working_time(dealer);
        send = *open;
    }
    Instant level2 = send + dealer.escalation.level2_resubmission;
    Instant level2_send = level2;
    if (respect)
        level2_send = *calendar.next_open(level2);
    return ResubmissionPlan{{resubmission, send}, {level2, level2_send}};
}

} // namespace lr::core
