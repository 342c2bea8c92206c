#include "views/json_views.hpp"

#include <algorithm>

namespace lr::views {

namespace {

Json optional_text(const std::optional<std::string>& value) {
    return value ? Json(*value) : Json(nullptr);
}

Json due_send(const core::DueSend& value, const date::time_zone* zone) {
    return Json{{"due", core::format_iso8601(value.due, zone)},
                {"send", core::format_iso8601(value.send, zone)}};
}

} // namespace

Json stored_json(const std::optional<std::string>& text) {
    if (!text)
        return nullptr;
    Json parsed = Json::parse(*text, nullptr, false);
    return parsed.is_discarded() ? Json(*text) : parsed;
}

Json due_json(store::DueState due) {
    return due == store::DueState::none ? Json(nullptr) : Json(store::to_string(due));
}

Json lead_row_json(const store::LeadRow& lead, const date::time_zone* zone) {
    return Json{{"id", lead.id},
                {"received", core::format_iso8601(lead.received_at, zone)},
                {"kind", lead.kind},
                {"source", lead.source},
                {"contact", lead.contact},
                {"assignee", optional_text(lead.assignee)},
                {"state", lead.state},
                {"rule", optional_text(lead.rule)},
                {"due", due_json(lead.due)}};
}

Json audit_json(const std::vector<store::AuditEntry>& trail, const date::time_zone* zone) {
    Json out = Json::array();
    for (const auto& entry : trail)
        out.push_back({{"at", core::format_iso8601(entry.at, zone)},
                       {"user", optional_text(entry.user)},
                       {"rule", entry.rule},
                       {"actor", entry.actor},
                       {"explanation", stored_json(entry.explanation)}});
    return out;
}

Json actions_json(const std::vector<store::ActionEntry>& actions, const date::time_zone* zone) {
    Json out = Json::array();
    for (const auto& act : actions)
        out.push_back({{"at", core::format_iso8601(act.at, zone)},
                       {"action", act.action},
                       {"user", optional_text(act.user)},
                       {"channel", act.channel},
                       {"integration", optional_text(act.integration)},
                       {"detail", stored_json(act.detail)}});
    return out;
}

Json lead_detail_json(const store::LeadDetail& lead, const date::time_zone* zone) {
    Json messages = Json::array();
    for (const auto& message : lead.messages)
        messages.push_back({{"id", message.id},
                            {"received", core::format_iso8601(message.received_at, zone)},
                            {"kind", message.kind},
                            {"reason", optional_text(message.reason)},
                            {"from", optional_text(message.envelope_from)},
                            {"text", optional_text(message.text)}});
    Json events = Json::array();
    for (const auto& event : lead.events)
        events.push_back({{"id", event.id},
                          {"kind", event.kind},
                          {"due", core::format_iso8601(event.due_at, zone)},
                          {"send", core::format_iso8601(event.send_at, zone)},
                          {"addressee", event.addressee},
                          {"state", event.state}});
    return Json{{"id", lead.id},
                {"dealer", lead.dealer_id},
                {"location", optional_text(lead.location_id)},
                {"kind", lead.kind},
                {"source", lead.source},
                {"provider", optional_text(lead.provider)},
                {"state", lead.state},
                {"assignee", optional_text(lead.assignee)},
                {"rule", optional_text(lead.assigned_rule)},
                {"assigned", lead.assigned_at ? Json(core::format_iso8601(*lead.assigned_at, zone))
                                              : Json(nullptr)},
                {"received", core::format_iso8601(lead.received_at, zone)},
                {"due", due_json(lead.due)},
                {"version", lead.version},
                {"contact",
                 {{"salutation", optional_text(lead.salutation)},
                  {"first_name", optional_text(lead.first_name)},
                  {"last_name", optional_text(lead.last_name)},
                  {"email", optional_text(lead.email)},
                  {"phone", optional_text(lead.phone)}}},
                {"vehicle", stored_json(lead.vehicle_json)},
                {"trade_in", stored_json(lead.trade_in_json)},
                {"message", optional_text(lead.message)},
                {"messages", std::move(messages)},
                {"events", std::move(events)},
                {"audit", audit_json(lead.audit, zone)},
                {"actions", actions_json(lead.actions, zone)}};
}

Json users_json(const core::Dealer& dealer, const store::UserStatus& status) {
    Json out = Json::array();
    for (const auto& user : dealer.users) {
        Json groups = Json::array();
        for (const auto& group : dealer.groups)
            if (std::find(group.members.begin(), group.members.end(), user.id) !=
                group.members.end())
                groups.push_back(group.id);
        const auto open = status.open_leads.find(user.id);
        out.push_back({{"id", user.id},
                       {"name", user.name},
                       {"receives_leads", user.receives_leads},
                       {"assignable", user.assignable},
                       {"groups", std::move(groups)},
                       {"supervisor", optional_text(user.supervisor)},
                       {"substitute", optional_text(user.substitute)},
                       {"absent_now", status.absent_now.count(user.id) > 0},
                       {"open_leads", open == status.open_leads.end() ? 0LL : open->second}});
    }
    return out;
}

Json absence_json(const store::Absence& absence, const date::time_zone* zone, core::Instant now) {
    return Json{{"id", absence.id},
                {"user", absence.user_id},
                {"from", core::format_iso8601(absence.starts_at, zone)},
                {"to", core::format_iso8601(absence.ends_at, zone)},
                {"now", absence.starts_at <= now},
                {"note", absence.note}};
}

Json plan_json(const core::EscalationPlan& plan, const date::time_zone* zone) {
    return Json{{"received", core::format_iso8601(plan.received, zone)},
                {"reminder", plan.reminder ? due_send(*plan.reminder, zone) : Json(nullptr)},
                {"level1", due_send(plan.level1, zone)},
                {"level2", due_send(plan.level2, zone)}};
}

Json plan_json(const core::ResubmissionPlan& plan, const date::time_zone* zone) {
    return Json{{"resubmission", due_send(plan.resubmission, zone)},
                {"level2_resubmission", due_send(plan.level2_resubmission, zone)}};
}

} // namespace lr::views
