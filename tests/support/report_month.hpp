// A scripted month of leads for the report's tests and benchmark (issue
// #18): October 2026 at the example dealer, with a holiday on Friday the
// 23rd and the change to winter time on Sunday the 25th; reactions early,
// late, never, twice, by reply and by closing; pool leads and claims;
// reminders, escalations and resubmissions; unassignable mail; leads just
// outside the month and a merged one the report must leave out.
#pragma once

#include "core/calendar.hpp"
#include "core/config.hpp"
#include "example_config.hpp"
#include "test_database.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace lr::test {

struct ScriptedLead {
    core::Instant received;
    std::string kind = "lead", source, location, assignee;
    bool merged = false;
    bool in_period = true;
    // Reactions (action reaction, reply or close) after receipt; a later
    // one never changes the first.
    std::vector<std::pair<std::chrono::seconds, std::string>> reactions;
    bool pool = false;
    std::optional<std::chrono::seconds> claim_after;
    int reminders = 0, level1_mails = 0, level2_mails = 0;
    int resubmissions = 0, resubmissions_escalated = 0;

    std::optional<core::Instant> first_reaction() const;
    // The lead's group in the report's --by dimension.
    std::string group(const std::string& dimension) const;
};

struct ScriptedMonth {
    std::vector<ScriptedLead> leads;
    std::vector<const ScriptedLead*> in_period() const;
};

// The example configuration with the holiday on 2026-10-23.
Replacements report_month_config();
ScriptedMonth script_october(const core::Dealer& dealer);
void insert_month(const TestDatabase& db, const ScriptedMonth& month);

// Working time in [from, to) counted minute by minute through is_open
// (times on whole minutes): the test's own yardstick.
long long walked_business_seconds(const core::BusinessCalendar& calendar, core::Instant from,
                                  core::Instant to);
// The instant at which d of working time from r is used up, walked the same way.
core::Instant walked_level1(const core::BusinessCalendar& calendar, core::Instant r,
                            std::chrono::seconds d);

} // namespace lr::test
