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

// What one lead adds to each tally it belongs to, measured once.
struct Measured {
    std::optional<seconds> claim_wall, claim_business; // a claimed pool lead
    std::optional<seconds> wall, business;             // an answered lead
    bool before_reminder = false, before_level1 = false, before_level2 = false;
};

Measured measure(const LeadFacts& lead, const core::Dealer& dealer,
                 const core::BusinessCalendar& calendar) {
    Measured m;
    if (lead.pool && lead.claimed) {
        m.claim_wall = std::max(seconds{0}, *lead.claimed - lead.received);
        m.claim_business = calendar.working_time(lead.received, *lead.claimed);
    }
    if (!lead.first_reaction)
        return m;
    const core::Instant reacted = *lead.first_reaction;
    m.wall = std::max(seconds{0}, reacted - lead.received);
    m.business = calendar.working_time(lead.received, reacted);
    if (auto plan = core::plan_received(dealer, calendar, lead.received)) {
        const core::Instant reminder = plan->reminder ? plan->reminder->due : plan->level1.due;
        m.before_reminder = reacted < reminder;
        m.before_level1 = reacted < plan->level1.due;
        m.before_level2 = reacted < plan->level2.due;
    }
    return m;
}

// One group's leads while they are added up.
struct Tally {
    Figures figures;
    std::vector<seconds> wall, claim_business, claim_wall;

    void add(const LeadFacts& lead, const Measured& m) {
        Figures& f = figures;
        ++f.received;
        f.reminders += lead.reminders;
        f.level1_mails += lead.level1_mails;
        f.level2_mails += lead.level2_mails;
        f.resubmissions += lead.resubmissions;
        f.resubmissions_escalated += lead.resubmissions_escalated;
        f.resubmissions_kept += lead.resubmissions - lead.resubmissions_escalated;
        f.pool_leads += lead.pool;
        if (m.claim_wall) {
            ++f.pool_claimed;
            claim_wall.push_back(*m.claim_wall);
            claim_business.push_back(*m.claim_business);
        }
        if (!m.wall) {
            ++f.open;
            return;
        }
        ++f.answered;
        wall.push_back(*m.wall);
        f.business_reactions.push_back(*m.business);
        f.before_reminder += m.before_reminder;
        f.before_level1 += m.before_level1;
        f.before_level2 += m.before_level2;
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
        const Measured measured = measure(lead, dealer, calendar);
        total.add(lead, measured);
        if (by != Dimension::none)
            groups[group_of(lead, by)].add(lead, measured);
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
