#include "milter_metrics.hpp"

#include "metrics/registry.hpp"
#include "store/connection_pool.hpp"

namespace lr::milter::metrics {

namespace {

using lr::metrics::process;

// A label value from the code's own words; anything else is "other", so
// the set stays bounded whatever a message says.
std::string bounded(const std::string& value) {
    if (value.empty() || value.size() > 40 ||
        value.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") != std::string::npos)
        return "other";
    return value;
}

lr::metrics::Counter& messages(const std::string& kind, const std::string& reason) {
    return process().counter(
        "leadrouter_milter_messages_total",
        "Messages to a dealer mailbox classified and stored, by class and reason (one per dealer)",
        {{"class", kind}, {"reason", reason}});
}

lr::metrics::Counter& duplicates() {
    static auto& counter = process().counter(
        "leadrouter_milter_duplicates_total",
        "Messages stored before under the same Message-ID (a sender's retry): forwarded again, "
        "not stored twice");
    return counter;
}

lr::metrics::Counter& tempfails(Tempfail cause) {
    return process().counter("leadrouter_milter_tempfails_total",
                             "Messages answered 451 (the sender retries), by cause",
                             {{"cause", cause == Tempfail::busy ? "busy" : "database"}});
}

lr::metrics::Counter& too_big() {
    static auto& counter =
        process().counter("leadrouter_milter_rejected_too_big_total",
                          "Messages refused with 552: larger than system.milter.max_message_size");
    return counter;
}

lr::metrics::Counter& untracked() {
    static auto& counter = process().counter(
        "leadrouter_milter_untracked_total",
        "Messages delivered without a lead while the database was away (on_db_error: accept)");
    return counter;
}

lr::metrics::Histogram& durations() {
    static auto& histogram = process().histogram(
        "leadrouter_milter_message_duration_seconds",
        "The milter's time per message: classification and commit", lr::metrics::short_durations());
    return histogram;
}

} // namespace

void declare() {
    for (const char* kind : {"lead", "tradein", "reply", "reaction", "command"})
        messages(kind, "");
    for (const char* reason : {"bounce", "auto_reply", "bulk", "spam", "no_contact"})
        messages("unassignable", reason);
    duplicates();
    tempfails(Tempfail::busy);
    tempfails(Tempfail::database);
    too_big();
    untracked();
    durations();
    store::reconnect_counter();
}

void count_message(const std::string& kind, const std::optional<std::string>& reason,
                   bool duplicate) {
    if (duplicate)
        duplicates().add();
    else
        messages(bounded(kind), reason ? bounded(*reason) : "").add();
}

void count_tempfail(Tempfail cause) {
    tempfails(cause).add();
}

void count_too_big() {
    too_big().add();
}

void count_untracked() {
    untracked().add();
}

void observe_message_seconds(double seconds) {
    durations().observe(seconds);
}

} // namespace lr::milter::metrics
