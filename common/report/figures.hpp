// The figures of the response-time report (issue #18), from one row of
// facts per lead: how many leads came, how many were answered and how
// fast (median and 90th percentile, in business time and on the wall
// clock), how many before the reminder, level 1 and level 2, which mails
// the chase took, the pool's claims and the resubmissions. Pure: facts
// and the dealer's rules in, figures out. Definitions: README, "Reports".
#pragma once

#include "core/calendar.hpp"
#include "core/config.hpp"

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace lr::report {

// What the database knows of one lead received in the period.
struct LeadFacts {
    long long id = 0;
    core::Instant received;
    std::string kind;                                      // lead | tradein
    std::string source;                                    // mobile.de, website, …
    std::string location;                                  // empty: none
    std::string assignee;                                  // empty: not assigned yet
    std::optional<core::Instant> first_reaction;           // reaction, reply or close
    bool pool = false;                                     // its first assignment was to the pool
    std::optional<core::Instant> claimed;                  // first claim from the pool
    int reminders = 0, level1_mails = 0, level2_mails = 0; // events that sent mail
    int resubmissions = 0, resubmissions_escalated = 0;
};

enum class Dimension { none, user, source, location, kind };
std::optional<Dimension> dimension_named(std::string_view name);
const char* dimension_name(Dimension dimension);

struct Percentiles {
    std::optional<std::chrono::seconds> median, p90; // none without a value
};

// Nearest rank: the value at rank ⌈p·n⌉ of the sorted values.
Percentiles percentiles(std::vector<std::chrono::seconds> values);

struct Figures {
    std::string group; // the dimension's value; "" for the whole dealer
    long long received = 0, answered = 0, open = 0;
    Percentiles business, wall; // reaction times of the answered leads
    long long before_reminder = 0, before_level1 = 0, before_level2 = 0;
    bool has_reminder = false; // the dealer's escalation.reminder is not 0
    long long reminders = 0, level1_mails = 0, level2_mails = 0;
    long long pool_leads = 0, pool_claimed = 0;
    Percentiles claim_business, claim_wall;
    long long resubmissions = 0, resubmissions_kept = 0, resubmissions_escalated = 0;
    // The business-time reaction of every answered lead, in the order of
    // the facts (the charts' distribution).
    std::vector<std::chrono::seconds> business_reactions;
};

struct Report {
    std::string dealer_id;
    date::local_days from, to; // inclusive local dates
    Dimension by = Dimension::none;
    std::vector<Figures> groups; // by the dimension, sorted by name; empty for none
    Figures total;
    std::map<std::string, long long> unassignable; // reason → mails
};

// Every lead's figures against the dealer's current rules and calendar.
Report compute_report(const core::Dealer& dealer, const core::BusinessCalendar& calendar,
                      const std::vector<LeadFacts>& leads, Dimension by);

// A share in percent with one decimal ("83.3"); "-" for none of none.
std::string percent(long long part, long long whole);

} // namespace lr::report
