#include "database_gauges.hpp"

#include "log/log.hpp"

namespace lr::leadweb {

namespace {

const char* const overdue_help =
    "Open leads past an escalation deadline without a reaction, by level (1: the assignee's, "
    "2: the supervisor's)";

// Ages are the database's clock against its own timestamps.
const char* const gauges_query =
    "SELECT "
    "(SELECT count(*) FROM leads WHERE state = 'new'), "
    "(SELECT coalesce(extract(epoch FROM now() - min(received_at)), 0) FROM leads "
    " WHERE state = 'new'), "
    "(SELECT count(DISTINCT e.lead_id) FROM scheduled_events e JOIN leads l ON l.id = e.lead_id "
    " WHERE l.state IN ('new', 'assigned') AND e.state <> 'cancelled' AND e.kind = 'level1' "
    " AND e.due_at <= now()), "
    "(SELECT count(DISTINCT e.lead_id) FROM scheduled_events e JOIN leads l ON l.id = e.lead_id "
    " WHERE l.state IN ('new', 'assigned') AND e.state <> 'cancelled' "
    " AND e.kind IN ('level2', 'level2_resubmission') AND e.due_at <= now()), "
    "(SELECT count(*) FROM outbox WHERE state = 'queued'), "
    "(SELECT coalesce(extract(epoch FROM now() - min(created_at)), 0) FROM outbox "
    " WHERE state = 'queued')";

} // namespace

DatabaseGauges::DatabaseGauges(store::ConnectionPool& pool, metrics::Registry& registry)
    : m_pool(pool),
      m_up(registry.gauge("leadrouter_database_up",
                          "1 when leadweb's last scrape could read the database, else 0")),
      m_waiting(registry.gauge("leadrouter_leads_waiting_for_assignment",
                               "Leads stored by the milter and not yet assigned by leadd")),
      m_oldest_waiting(
          registry.gauge("leadrouter_oldest_waiting_lead_age_seconds",
                         "How long the oldest lead waiting for its assignment has waited")),
      m_overdue_level1(registry.gauge("leadrouter_overdue_leads", overdue_help, {{"level", "1"}})),
      m_overdue_level2(registry.gauge("leadrouter_overdue_leads", overdue_help, {{"level", "2"}})),
      m_backlog(registry.gauge("leadrouter_outbox_backlog",
                               "Mails in the outbox waiting to be sent (queued)")),
      m_oldest_queued(registry.gauge("leadrouter_outbox_oldest_queued_age_seconds",
                                     "Age of the oldest mail still queued in the outbox")) {}

void DatabaseGauges::refresh() {
    auto connection = m_pool.take();
    auto rows =
        connection ? (*connection)->exec(gauges_query) : Result<store::Rows>(connection.error());
    if (!rows || rows->empty()) {
        if (connection)
            connection->discard();
        log::error("metrics: database gauges not read: " +
                   (rows ? std::string("no row") : rows.error().message));
        m_up.set(0);
        return;
    }
    m_up.set(1);
    auto number = [&](int column) { return std::stod(rows->text(0, column)); };
    m_waiting.set(number(0));
    m_oldest_waiting.set(number(1));
    m_overdue_level1.set(number(2));
    m_overdue_level2.set(number(3));
    m_backlog.set(number(4));
    m_oldest_queued.set(number(5));
}

} // namespace lr::leadweb
