#include "run_outcome.hpp"

#include "sink_message.hpp"
#include "test_database.hpp"

#include <map>
#include <set>

namespace lr::test {

LeadOutcome lead_outcome(const std::string& conninfo) {
    auto rows = query_at(
        conninfo,
        "SELECT (SELECT count(*) FROM leads), (SELECT count(*) FROM leads WHERE state = "
        "'assigned'), (SELECT count(*) FROM assignments), (SELECT count(DISTINCT lead_id) FROM "
        "assignments), (SELECT count(*) FROM (SELECT 1 FROM scheduled_events GROUP BY lead_id, "
        "kind HAVING count(*) <> 1) AS doubled), (SELECT count(*) FROM scheduled_events WHERE "
        "state <> 'done'), (SELECT count(DISTINCT lead_id) FROM scheduled_events)");
    return {rows.integer(0, 0), rows.integer(0, 1), rows.integer(0, 2), rows.integer(0, 3),
            rows.integer(0, 4), rows.integer(0, 5), rows.integer(0, 6)};
}

OutboxDelivery compare_outbox(const std::string& conninfo,
                              const std::vector<std::string>& messages) {
    std::map<std::string, int> received;
    for (const auto& message : messages)
        ++received[header_of(message, "Message-ID")];
    auto leased_twice = query_at(conninfo, "SELECT message_id FROM outbox WHERE attempts > 1");
    std::set<std::string> retried;
    for (int i = 0; i < leased_twice.size(); ++i)
        retried.insert(leased_twice.text(i, 0));
    auto sent = query_at(conninfo, "SELECT message_id FROM outbox");
    OutboxDelivery out;
    out.outbox_rows = sent.size();
    for (int i = 0; i < sent.size(); ++i) {
        int times = received[sent.text(i, 0)];
        out.missing += times == 0;
        out.doubled += times > 1;
        out.doubled_unexplained += times > 1 && !retried.count(sent.text(i, 0));
    }
    for (const auto& [id, times] : received)
        out.distinct_received += times > 0;
    return out;
}

} // namespace lr::test
