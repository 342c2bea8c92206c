#include "report/figures.hpp"

#include "core/escalation_plan.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace lr::report {

using std::chrono::seconds;

std::optional<Dimension> dimension_named(std::string_view name) {
    for (auto dimension :
         {Dimension::user, Dimension::source, Dimension::location, Dimension::kind})
        if (name == dimension_name(dimension))
            return dimension;
    return std::nullopt;
}

const char* dimension_name(Dimension dimension) {
    switch (dimension) {
    case Dimension::none:
        return "dealer";
    case Dimension::user:
        return "user";
    case Dimension::source:
        return "source";
    case Dimension::location:
        return "location";
    case Dimension::kind:
        return "kind";
    }
    return "dealer";
}

Percentiles percentiles(std::vector<seconds> values) {
    Percentiles out;
    if (values.empty())
        return out;
    std::sort(values.begin(), values.end());
    auto rank = [&](double p) {
        auto k = static_cast<size_t>(std::ceil(p * static_cast<double>(values.size())));
        return values[std::clamp<size_t>(k, 1, values.size()) - 1];
    };
    out.median = rank(0.5);
    out.p90 = rank(0.9);
    return out;
}

std::string percent(long long part, long long whole) {
    if (whole == 0)
        return "-";
    char text[32];
    std::snprintf(text, sizeof text, "%.1f",
                  100.0 * static_cast<double>(part) / static_cast<double>(whole));
    return text;
}

namespace {

std::string group_of(const LeadFacts& lead, Dimension by) {
    switch (by) {
    case Dimension::none:
        return "";
    case Dimension::user:
        return lead.assignee.empty() ? "-" : lead.assignee;
    case Dimension::source:
        return lead.source;
    case Dimension::location:
        return lead.location.empty() ? "-" : lead.location;
    case Dimension::kind:
        return lead.kind;
    }
    return "";
}

// One group's leads while they are added up.
struct Tally {
    Figures figures;
    std::vector<seconds> wall, claim_business, claim_wall;

    void add(const LeadFacts& lead, const core::BusinessCalendar& calendar,
             const std::optional<core::EscalationPlan>& plan) {
        Figures& f = figures;
        ++f.received;
        f.reminders += lead.reminders;
        f.level1_mails += lead.level1_mails;
        f.level2_mails += lead.level2_mails;
        f.resubmissions += lead.resubmissions;
        f.resubmissions_escalated += lead.resubmissions_escalated;
        f.resubmissions_kept += lead.resubmissions - lead.resubmissions_escalated;
        if (lead.pool) {
            ++f.pool_leads;
            if (lead.claimed) {
                ++f.pool_claimed;
                claim_wall.push_back(std::max(seconds{0}, *lead.claimed - lead.received));
                claim_business.push_back(calendar.working_time(lead.received, *lead.claimed));
            }
        }
        if (!lead.first_reaction) {
            ++f.open;
            return;
        }
        ++f.answered;
        const core::Instant reacted = *lead.first_reaction;
        wall.push_back(std::max(seconds{0}, reacted - lead.received));
        f.business_reactions.push_back(calendar.working_time(lead.received, reacted));
        if (!plan)
            return;
        const core::Instant reminder = plan->reminder ? plan->reminder->due : plan->level1.due;
        f.before_reminder += reacted < reminder;
        f.before_level1 += reacted < plan->level1.due;
        f.before_level2 += reacted < plan->level2.due;
    }

    Figures finish(bool has_reminder) {
        figures.business = percentiles(figures.business_reactions);
        figures.wall = percentiles(std::move(wall));
        figures.claim_business = percentiles(std::move(claim_business));
        figures.claim_wall = percentiles(std::move(claim_wall));
        figures.has_reminder = has_reminder;
        return std::move(figures);
    }
};

} // namespace

Report compute_report(const core::Dealer& dealer, const core::BusinessCalendar& calendar,
                      const std::vector<LeadFacts>& leads, Dimension by) {
    Report report;
    report.dealer_id = dealer.id;
    report.by = by;
    Tally total;
    std::map<std::string, Tally> groups;
    for (const auto& lead : leads) {
        std::optional<core::EscalationPlan> plan;
        if (lead.first_reaction) // the deadlines matter only for an answer
            if (auto planned = core::plan_received(dealer, calendar, lead.received))
                plan = *planned;
        total.add(lead, calendar, plan);
        if (by != Dimension::none)
            groups[group_of(lead, by)].add(lead, calendar, plan);
    }
    const bool has_reminder = dealer.escalation.reminder.count() > 0;
    report.total = total.finish(has_reminder);
    for (auto& [name, tally] : groups) {
        report.groups.push_back(tally.finish(has_reminder));
        report.groups.back().group = name;
    }
    return report;
}

} // namespace lr::report
