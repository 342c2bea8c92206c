// What a daemon-mode run left behind, for its "exactly once" checks: the
// leads and their chains, and what an SMTP server received against what
// the outbox says it sent. A mail may arrive
// twice only when it was leased twice (sent, then its sender died or lost
// the database before recording that) — the duplicate is recognisable by
// its Message-ID.
#pragma once

#include <string>
#include <vector>

namespace lr::test {

struct LeadOutcome {
    long long leads = 0;
    long long assigned = 0;    // leads in state assigned
    long long assignments = 0; // audit rows: one per decision
    long long leads_with_assignment = 0;
    long long doubled_events = 0; // (lead, kind) pairs with more than one event
    long long events_not_done = 0;
    long long leads_with_events = 0;
};

LeadOutcome lead_outcome(const std::string& conninfo);

struct OutboxDelivery {
    int outbox_rows = 0;          // rows in the outbox
    int missing = 0;              // rows whose Message-ID never arrived
    int doubled = 0;              // rows that arrived more than once
    int doubled_unexplained = 0;  // of those, rows leased only once
    size_t distinct_received = 0; // distinct Message-IDs among the messages
};

// messages: what the sink received (only outbox mail, or mail told apart
// by the caller beforehand).
OutboxDelivery compare_outbox(const std::string& conninfo,
                              const std::vector<std::string>& messages);

} // namespace lr::test
