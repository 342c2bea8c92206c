#include "store/dealer_store.hpp"

#include "store/pg_array.hpp"
#include "store/timestamps.hpp"

namespace lr::store {

namespace {

// $1: the dealers to count for; $2: true to count those NOT in $1.
constexpr const char* work_sql =
    "SELECT dealer_id, sum(n), sum(o), sum(e), sum(m) FROM ("
    "SELECT dealer_id, count(*) FILTER (WHERE state = 'new') AS n, "
    "count(*) FILTER (WHERE state IN ('assigned', 'responded')) AS o, 0 AS e, 0 AS m "
    "FROM leads WHERE state IN ('new', 'assigned', 'responded') AND "
    "(dealer_id = ANY($1::text[])) <> $2 GROUP BY dealer_id "
    "UNION ALL SELECT l.dealer_id, 0, 0, count(*), 0 FROM scheduled_events e "
    "JOIN leads l ON l.id = e.lead_id WHERE e.state = 'pending' AND "
    "(l.dealer_id = ANY($1::text[])) <> $2 GROUP BY l.dealer_id "
    "UNION ALL SELECT dealer_id, 0, 0, 0, count(*) FROM outbox WHERE state = 'queued' AND "
    "(dealer_id = ANY($1::text[])) <> $2 GROUP BY dealer_id) AS work "
    "GROUP BY dealer_id ORDER BY dealer_id";

} // namespace

Statement unconfigured_work(const std::vector<std::string>& configured) {
    return {work_sql, {array_literal(configured), "true"}};
}

std::vector<DealerWork> read_dealer_work(const Rows& rows) {
    std::vector<DealerWork> out;
    for (int i = 0; i < rows.size(); ++i)
        out.push_back({rows.text(i, 0), rows.integer(i, 1), rows.integer(i, 2), rows.integer(i, 3),
                       rows.integer(i, 4)});
    return out;
}

Result<DealerWork> dealer_work(Connection& connection, const std::string& dealer_id) {
    auto rows =
        connection.exec(work_sql, {array_literal(std::vector<std::string>{dealer_id}), "false"});
    if (!rows)
        return rows.error();
    auto work = read_dealer_work(*rows);
    return work.empty() ? DealerWork{dealer_id} : work.front();
}

Result<DealerWork> retire_dealer(Connection& connection, const std::string& dealer_id,
                                 core::Instant now) {
    auto transaction = Transaction::begin(connection);
    if (!transaction)
        return transaction.error();
    auto rows = connection.exec(
        "WITH events AS (UPDATE scheduled_events e SET state = 'cancelled', done_at = $2 "
        "FROM leads l WHERE l.id = e.lead_id AND l.dealer_id = $1 AND e.state = 'pending' "
        "RETURNING 1), "
        "mails AS (UPDATE outbox SET state = 'failed', lease_until = NULL, "
        "last_error = 'dealer retired' WHERE dealer_id = $1 AND state = 'queued' RETURNING 1), "
        "closed AS (UPDATE leads SET state = 'closed', closed_at = $2 WHERE dealer_id = $1 AND "
        "state = 'new' RETURNING 1) "
        "SELECT (SELECT count(*) FROM closed), (SELECT count(*) FROM events), "
        "(SELECT count(*) FROM mails)",
        {dealer_id, timestamp_param(now)});
    if (!rows)
        return rows.error();
    DealerWork done{dealer_id, rows->integer(0, 0), 0, rows->integer(0, 1), rows->integer(0, 2)};
    if (auto committed = transaction->commit(); !committed)
        return committed.error();
    return done;
}

} // namespace lr::store
