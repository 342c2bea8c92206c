#include "report_month.hpp"

#include "core/zoned_time.hpp"
#include "store/timestamps.hpp"

#include <map>

namespace lr::test {

using namespace std::chrono_literals;
using std::chrono::minutes;
using std::chrono::seconds;

std::optional<core::Instant> ScriptedLead::first_reaction() const {
    std::optional<core::Instant> first;
    for (const auto& [after, action] : reactions)
        if (!first || received + after < *first)
            first = received + after;
    return first;
}

std::string ScriptedLead::group(const std::string& dimension) const {
    if (dimension == "user")
        return assignee.empty() ? "-" : assignee;
    if (dimension == "source")
        return source;
    if (dimension == "kind")
        return kind;
    return location.empty() ? "-" : location;
}

std::vector<const ScriptedLead*> ScriptedMonth::in_period() const {
    std::vector<const ScriptedLead*> out;
    for (const auto& lead : leads)
        if (lead.in_period && !lead.merged)
            out.push_back(&lead);
    return out;
}

Replacements report_month_config() {
    return {{"      - 2026-12-24\n", "      - 2026-10-23\n      - 2026-12-24\n"}};
}

ScriptedMonth script_october(const core::Dealer& dealer) {
    auto local = [&](int month, int day, int hour, int minute) {
        return core::local_to_instant(
            core::LocalTime{date::local_days{date::year{2026} / month / day}} +
                std::chrono::hours{hour} + minutes{minute},
            dealer.timezone);
    };
    const seconds offsets[] = {10min, 40min, 95min, 140min, 5h, 26h, 0s, 72h, 1min, 3h};
    const char* const actions[] = {"reaction", "reply", "close"};
    const char* const users[] = {"schmidt", "weber", "yilmaz"};
    const char* const sources[] = {"mobile.de", "autoscout24", "website", "email"};
    const int times[][2] = {{7, 40}, {9, 5}, {12, 50}, {16, 30}, {21, 15}};
    ScriptedMonth month;
    int i = 0;
    auto add = [&](core::Instant received) -> ScriptedLead& {
        ScriptedLead lead;
        lead.received = received;
        lead.kind = i % 3 == 2 ? "tradein" : "lead";
        lead.source = sources[i % 4];
        lead.assignee = users[i % 3];
        lead.location = lead.assignee == "yilmaz" ? "kiel" : "hamburg";
        if (offsets[i % 10] != 0s) { // the seventh of every ten stays unanswered
            lead.reactions.emplace_back(offsets[i % 10], actions[i % 3]);
            if (i % 4 == 1) // answered again later: the first one counts
                lead.reactions.emplace_back(offsets[i % 10] + 3h, "reply");
        }
        if (i % 7 == 3) {
            lead.pool = true;
            if (i % 2 == 1)
                lead.claim_after = 35min + minutes(i);
            else
                lead.assignee = "pool";
        }
        lead.reminders = i % 3 == 0;
        lead.level1_mails = i % 4 == 0;
        lead.level2_mails = i % 6 == 0;
        lead.resubmissions = i % 5 == 0;
        lead.resubmissions_escalated = i % 10 == 0;
        ++i;
        month.leads.push_back(lead);
        return month.leads.back();
    };
    for (int day = 1; day <= 31; ++day)
        for (int k : {0, 2}) {
            const auto& time = times[(day + k) % 5];
            add(local(10, day, time[0], time[1]));
        }
    // The DST weekend: Saturday noon answered on Monday morning (46 hours
    // of wall clock, two of business time), and a lead in the hour that
    // happens twice (the earlier one).
    add(local(10, 24, 12, 0)).reactions = {{46h, "reaction"}};
    add(local(10, 25, 2, 30)).reactions = {{30h, "reply"}};
    // The month's edges, in the dealer's zone.
    add(local(9, 30, 23, 59)).in_period = false;
    add(local(10, 1, 0, 0));
    add(local(10, 31, 23, 59));
    add(local(11, 1, 0, 0)).in_period = false;
    add(local(10, 14, 10, 0)).merged = true; // attached to an open lead: not a lead of its own
    return month;
}

void insert_month(const TestDatabase& db, const ScriptedMonth& month) {
    using store::timestamp_param;
    int token = 0;
    for (const auto& lead : month.leads) {
        const std::string first_holder = lead.pool ? "pool" : lead.assignee;
        const long long id =
            db.exec("INSERT INTO leads (dealer_id, location_id, kind, source, token, state, "
                    "assignee, received_at) VALUES ('mueller', $1, $2, $3, $4, $5, $6, $7) "
                    "RETURNING id",
                    {lead.location, lead.kind, lead.source, "report-" + std::to_string(++token),
                     lead.merged ? "merged" : (lead.reactions.empty() ? "assigned" : "responded"),
                     lead.assignee, timestamp_param(lead.received)})
                .integer(0, 0);
        const std::string lead_id = std::to_string(id);
        auto at = [&](seconds after) { return timestamp_param(lead.received + after); };
        db.exec("INSERT INTO assignments (lead_id, dealer_id, user_id, rule, assigned_at, "
                "generation) VALUES ($1, 'mueller', $2, $3, $4, 1)",
                {lead_id, first_holder, lead.pool ? "pool" : "rotation", at(1s)});
        if (lead.claim_after) {
            db.exec("INSERT INTO assignments (lead_id, dealer_id, user_id, rule, assigned_at, "
                    "generation) VALUES ($1, 'mueller', $2, 'claim', $3, 2)",
                    {lead_id, lead.assignee, at(*lead.claim_after)});
            // A claim is an action, not a reaction.
            db.exec("INSERT INTO lead_actions (lead_id, dealer_id, action, user_id, channel, "
                    "acted_at) VALUES ($1, 'mueller', 'claim', $2, 'mail', $3)",
                    {lead_id, lead.assignee, at(*lead.claim_after)});
        }
        for (const auto& [after, action] : lead.reactions)
            db.exec("INSERT INTO lead_actions (lead_id, dealer_id, action, user_id, channel, "
                    "acted_at) VALUES ($1, 'mueller', $2, $3, 'cli', $4)",
                    {lead_id, action, lead.assignee, at(after)});
        // Chain 0 fired; chain 1 (a later chain) was cancelled or waits.
        auto events = [&](const char* kind, int count, const char* state) {
            for (int n = 0; n < count; ++n)
                db.exec("INSERT INTO scheduled_events (lead_id, kind, chain, anchor_at, due_at, "
                        "send_at, addressee, state) VALUES ($1, $2, $3, $4, $4, $4, $5, $6)",
                        {lead_id, kind, std::string(state) == "done" ? "0" : "1", at(1h),
                         first_holder, state});
        };
        events("assignment_notice", 1, "done");
        events("reminder", lead.reminders, "done");
        events("level1", lead.level1_mails, "done");
        events("level2", lead.level2_mails, "done");
        events("resubmission", lead.resubmissions, "done");
        events("level2_resubmission", lead.resubmissions_escalated, "done");
        // Cancelled and pending events sent no mail.
        events("level1", 1, "cancelled");
        events("level2", 1, "pending");
    }
    // Unassignable mail: six in October, one on the first of November, and
    // mail of other kinds that is no such thing.
    const core::Instant october = month.leads[2].received;
    for (const auto& [reason, count] : std::vector<std::pair<std::string, int>>{
             {"bounce", 3}, {"auto_reply", 2}, {"no_contact", 1}})
        for (int n = 0; n < count; ++n)
            db.exec("INSERT INTO messages (dealer_id, kind, reason, received_at) VALUES "
                    "('mueller', 'unassignable', $1, $2)",
                    {reason, timestamp_param(october + std::chrono::hours(24 * n))});
    db.exec("INSERT INTO messages (dealer_id, kind, reason, received_at) VALUES ('mueller', "
            "'unassignable', 'bounce', '2026-11-01 00:00+01'), ('mueller', 'lead', NULL, "
            "'2026-10-10 10:00+02'), ('mueller', 'reply', NULL, '2026-10-11 10:00+02')");
}

long long walked_business_seconds(const core::BusinessCalendar& calendar, core::Instant from,
                                  core::Instant to) {
    static std::map<std::pair<long long, long long>, long long> known;
    const auto key = std::make_pair(from.time_since_epoch().count(), to.time_since_epoch().count());
    if (auto found = known.find(key); found != known.end())
        return found->second;
    long long open_minutes = 0;
    for (core::Instant t = from; t < to; t += 1min)
        open_minutes += calendar.is_open(t);
    return known[key] = open_minutes * 60;
}

core::Instant walked_level1(const core::BusinessCalendar& calendar, core::Instant r, seconds d) {
    long long left = d.count() / 60;
    core::Instant t = r;
    while (left > 0) {
        left -= calendar.is_open(t);
        t += 1min;
    }
    return t;
}

} // namespace lr::test
