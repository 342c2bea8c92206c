// The gauges that only the database knows rightly (issue #16), read by
// leadweb at each scrape of its metrics endpoint: leads waiting for their
// assignment and the oldest one's age, overdue leads by escalation level,
// the outbox's backlog and its oldest mail's age, whether the database
// answers. One statement over indexed columns; leadd and the milter stay
// out of it, so a slow scrape never slows the mail.
#pragma once

#include "metrics/registry.hpp"
#include "store/connection_pool.hpp"

namespace lr::leadweb {

class DatabaseGauges {
public:
    DatabaseGauges(store::ConnectionPool& pool, metrics::Registry& registry);
    void refresh(); // reads the database now; database_up 0 when it does not answer

private:
    store::ConnectionPool& m_pool;
    metrics::Gauge& m_up;
    metrics::Gauge& m_waiting;
    metrics::Gauge& m_oldest_waiting;
    metrics::Gauge& m_overdue_level1;
    metrics::Gauge& m_overdue_level2;
    metrics::Gauge& m_backlog;
    metrics::Gauge& m_oldest_queued;
};

} // namespace lr::leadweb
