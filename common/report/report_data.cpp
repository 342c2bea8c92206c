#include "report/report_data.hpp"

#include "core/zoned_time.hpp"
#include "store/timestamps.hpp"

namespace lr::report {

store::Statement lead_facts(const std::string& dealer_id, core::Instant from, core::Instant to) {
    // Each part reads only the period's leads, then their reactions, pool
    // assignments and sent chase mails index-only (migration 015). A lead
    // assigned to the pool has rule 'pool' on its first assignment; later
    // ones are claims or reassignments.
    return {"WITH p AS (SELECT id, received_at, kind, source, location_id, assignee "
            "FROM leads WHERE dealer_id = $1 AND received_at >= $2 AND received_at < $3 "
            "AND state <> 'merged'), "
            "r AS (SELECT a.lead_id, min(a.acted_at) AS reacted FROM lead_actions a "
            "JOIN p ON p.id = a.lead_id WHERE a.action IN ('reaction', 'reply', 'close') "
            "GROUP BY a.lead_id), "
            "s AS (SELECT a.lead_id, bool_or(a.rule = 'pool') AS pool, "
            "min(a.assigned_at) FILTER (WHERE a.rule = 'claim') AS claimed "
            "FROM assignments a JOIN p ON p.id = a.lead_id WHERE a.rule IN ('pool', 'claim') "
            "GROUP BY a.lead_id), "
            "e AS (SELECT e.lead_id, count(*) FILTER (WHERE e.kind = 'reminder') AS reminders, "
            "count(*) FILTER (WHERE e.kind = 'level1') AS level1, "
            "count(*) FILTER (WHERE e.kind = 'level2') AS level2, "
            "count(*) FILTER (WHERE e.kind = 'resubmission') AS resubmissions, "
            "count(*) FILTER (WHERE e.kind = 'level2_resubmission') AS escalated "
            "FROM scheduled_events e JOIN p ON p.id = e.lead_id WHERE e.state = 'done' AND "
            "e.kind IN ('reminder', 'level1', 'level2', 'resubmission', 'level2_resubmission') "
            "GROUP BY e.lead_id) "
            "SELECT p.id, extract(epoch FROM p.received_at)::bigint, p.kind, p.source, "
            "coalesce(p.location_id, ''), coalesce(p.assignee, ''), "
            "extract(epoch FROM r.reacted)::bigint, coalesce(s.pool, false), "
            "extract(epoch FROM s.claimed)::bigint, coalesce(e.reminders, 0), "
            "coalesce(e.level1, 0), coalesce(e.level2, 0), coalesce(e.resubmissions, 0), "
            "coalesce(e.escalated, 0) "
            "FROM p LEFT JOIN r ON r.lead_id = p.id LEFT JOIN s ON s.lead_id = p.id "
            "LEFT JOIN e ON e.lead_id = p.id",
            {dealer_id, store::timestamp_param(from), store::timestamp_param(to)}};
}

std::vector<LeadFacts> read_lead_facts(const store::Rows& rows) {
    std::vector<LeadFacts> out;
    out.reserve(static_cast<size_t>(rows.size()));
    auto instant = [&](int row, int column) -> std::optional<core::Instant> {
        if (rows.is_null(row, column))
            return std::nullopt;
        return store::instant_from_epoch(rows.integer(row, column));
    };
    for (int i = 0; i < rows.size(); ++i) {
        LeadFacts lead;
        lead.id = rows.integer(i, 0);
        lead.received = store::instant_from_epoch(rows.integer(i, 1));
        lead.kind = rows.text(i, 2);
        lead.source = rows.text(i, 3);
        lead.location = rows.text(i, 4);
        lead.assignee = rows.text(i, 5);
        lead.first_reaction = instant(i, 6);
        lead.pool = rows.text(i, 7) == "t";
        lead.claimed = instant(i, 8);
        lead.reminders = static_cast<int>(rows.integer(i, 9));
        lead.level1_mails = static_cast<int>(rows.integer(i, 10));
        lead.level2_mails = static_cast<int>(rows.integer(i, 11));
        lead.resubmissions = static_cast<int>(rows.integer(i, 12));
        lead.resubmissions_escalated = static_cast<int>(rows.integer(i, 13));
        out.push_back(std::move(lead));
    }
    return out;
}

store::Statement unassignable_by_reason(const std::string& dealer_id, core::Instant from,
                                        core::Instant to) {
    return {"SELECT coalesce(reason, 'unknown'), count(*) FROM messages WHERE dealer_id = $1 "
            "AND kind = 'unassignable' AND received_at >= $2 AND received_at < $3 "
            "GROUP BY 1 ORDER BY 1",
            {dealer_id, store::timestamp_param(from), store::timestamp_param(to)}};
}

std::map<std::string, long long> read_unassignable(const store::Rows& rows) {
    std::map<std::string, long long> out;
    for (int i = 0; i < rows.size(); ++i)
        out[rows.text(i, 0)] = rows.integer(i, 1);
    return out;
}

std::pair<core::Instant, core::Instant> period_bounds(date::local_days first, date::local_days last,
                                                      const date::time_zone* zone) {
    return {core::local_to_instant(core::LocalTime{first}, zone),
            core::local_to_instant(core::LocalTime{last + date::days{1}}, zone)};
}

Result<Report> load_report(store::Connection& connection, const core::Dealer& dealer,
                           date::local_days first, date::local_days last, Dimension by) {
    auto [from, to] = period_bounds(first, last, dealer.timezone);
    if (auto off = connection.exec(std::string("SET ") + without_jit); !off)
        return off.error();
    auto leads = connection.exec(lead_facts(dealer.id, from, to));
    if (!leads)
        return leads.error();
    auto unassignable = connection.exec(unassignable_by_reason(dealer.id, from, to));
    if (!unassignable)
        return unassignable.error();
    core::BusinessCalendar calendar(dealer);
    Report report = compute_report(dealer, calendar, read_lead_facts(*leads), by);
    report.from = first;
    report.to = last;
    report.unassignable = read_unassignable(*unassignable);
    return report;
}

} // namespace lr::report
