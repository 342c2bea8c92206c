#include "core/schedule.hpp"

#include "core/calendar.hpp"
#include "core/escalation_plan.hpp"

namespace lr::core {

namespace {

std::shared_ptr<const BusinessCalendar> calendar_of(const Dealer& dealer) {
    return dealer.calendar ? dealer.calendar : std::make_shared<const BusinessCalendar>(dealer);
}

} // namespace

std::string level2_addressee(const Dealer& dealer, const std::string& assignee) {
    const User* user = dealer.find_user(assignee);
    if (user && user->supervisor && dealer.find_user(*user->supervisor))
        return *user->supervisor;
    return dealer.admin_user;
}

Result<std::vector<PlannedEvent>> escalation_chain(const Dealer& dealer, Instant received,
                                                   Instant assigned_at,
                                                   const std::string& assignee) {
    auto shared = calendar_of(dealer);
    const BusinessCalendar& calendar = *shared;
    auto plan = plan_received(dealer, calendar, received);
    if (!plan)
        return plan.error();
    std::vector<PlannedEvent> events;
    events.push_back(
        {event_kind::notice, assigned_at, assigned_at, *calendar.next_open(assigned_at), assignee});
    if (plan->reminder)
        events.push_back(
            {event_kind::reminder, received, plan->reminder->due, plan->reminder->send, assignee});
    events.push_back({event_kind::level1, received, plan->level1.due, plan->level1.send, assignee});
    events.push_back({event_kind::level2, received, plan->level2.due, plan->level2.send,
                      level2_addressee(dealer, assignee)});
    return events;
}

std::vector<PlannedEvent> customer_message_events(const Dealer& dealer, Instant received,
                                                  Instant now, const std::string& assignee,
                                                  bool restart) {
    std::vector<PlannedEvent> events;
    if (auto open = calendar_of(dealer)->next_open(now))
        events.push_back({event_kind::customer_message, now, now, *open, assignee});
    if (!restart)
        return events;
    auto restarted = escalation_chain(dealer, received, now, assignee);
    if (!restarted)
        return events;
    for (auto& event : *restarted)
        if (event.kind != event_kind::notice) // the message notice stands for it
            events.push_back(std::move(event));
    return events;
}

Result<std::vector<PlannedEvent>> resubmission_chain(const Dealer& dealer, Instant resubmission,
                                                     const std::string& assignee) {
    auto shared = calendar_of(dealer);
    const BusinessCalendar& calendar = *shared;
    auto plan = plan_resubmission(dealer, calendar, resubmission);
    if (!plan)
        return plan.error();
    return std::vector<PlannedEvent>{{event_kind::resubmission, resubmission,
                                      plan->resubmission.due, plan->resubmission.send, assignee},
                                     {event_kind::level2_resubmission, resubmission,
                                      plan->level2_resubmission.due, plan->level2_resubmission.send,
                                      level2_addressee(dealer, assignee)}};
}

Result<std::optional<std::pair<Instant, Instant>>>
recompute_event(const Dealer& dealer, const std::string& kind, Instant anchor) {
    using Times = std::optional<std::pair<Instant, Instant>>;
    auto shared = calendar_of(dealer);
    const BusinessCalendar& calendar = *shared;
    if (kind == event_kind::notice || kind == event_kind::customer_message) {
        auto open = calendar.next_open(anchor);
        if (!open)
            return make_error(ErrorCode::invalid_input,
                              "dealer " + dealer.id + " has no working time");
        return Times{{anchor, *open}};
    }
    if (kind == event_kind::resubmission || kind == event_kind::level2_resubmission) {
        auto plan = plan_resubmission(dealer, calendar, anchor);
        if (!plan)
            return plan.error();
        const auto& times =
            kind == event_kind::resubmission ? plan->resubmission : plan->level2_resubmission;
        return Times{{times.due, times.send}};
    }
    auto plan = plan_received(dealer, calendar, anchor);
    if (!plan)
        return plan.error();
    if (kind == event_kind::reminder)
        return plan->reminder ? Times{{plan->reminder->due, plan->reminder->send}} : Times{};
    if (kind == event_kind::level1)
        return Times{{plan->level1.due, plan->level1.send}};
    if (kind == event_kind::level2)
        return Times{{plan->level2.due, plan->level2.send}};
    return make_error(ErrorCode::invalid_input, "unknown event kind \"" + kind + "\"");
}

} // namespace lr::core
