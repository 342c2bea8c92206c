#include "leadd_metrics.hpp"

#include "metrics/registry.hpp"
#include "store/connection_pool.hpp"

namespace lr::daemon::metrics {

namespace {

using lr::metrics::process;

lr::metrics::Histogram& latency() {
    static auto& histogram = process().histogram(
        "leadrouter_leadd_assignment_latency_seconds",
        "From a lead's arrival to its assignment (or attachment to the contact's open lead)",
        lr::metrics::long_durations());
    return histogram;
}

lr::metrics::Counter& fired(const std::string& kind) {
    return process().counter("leadrouter_leadd_events_fired_total",
                             "Notices, reminders and escalations fired (mail queued), by kind",
                             {{"kind", kind}});
}

const char* outcome_name(SendOutcome outcome) {
    switch (outcome) {
    case SendOutcome::sent:
        return "sent";
    case SendOutcome::deferred:
        return "deferred";
    case SendOutcome::failed:
        return "failed";
    }
    return "failed";
}

lr::metrics::Counter& sends(SendOutcome outcome) {
    return process().counter(
        "leadrouter_leadd_sends_total",
        "Outbox mails handed to the SMTP server, by outcome: sent, deferred (4xx, tried again), "
        "failed (5xx or past max_queue_lifetime; the admin user is told)",
        {{"outcome", outcome_name(outcome)}});
}

// The kinds scheduled_events allows (migration 004); anything else is
// counted as "other" so the label set stays the code's.
std::string known_kind(const std::string& kind) {
    for (const char* known : {"assignment_notice", "reminder", "level1", "level2", "resubmission",
                              "level2_resubmission", "customer_message"})
        if (kind == known)
            return kind;
    return "other";
}

} // namespace

void declare() {
    latency();
    for (const char* kind : {"assignment_notice", "reminder", "level1", "level2", "resubmission",
                             "level2_resubmission", "customer_message"})
        fired(kind);
    for (auto outcome : {SendOutcome::sent, SendOutcome::deferred, SendOutcome::failed})
        sends(outcome);
    store::reconnect_counter();
}

void observe_assignment(double waited_seconds) {
    latency().observe(waited_seconds < 0 ? 0 : waited_seconds);
}

void count_fired(const std::string& event_kind, long long count) {
    fired(known_kind(event_kind)).add(static_cast<double>(count));
}

void count_send(SendOutcome outcome) {
    sends(outcome).add();
}

} // namespace lr::daemon::metrics
