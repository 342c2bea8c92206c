#include "store/absence_store.hpp"

#include "store/timestamps.hpp"

namespace lr::store {

Result<long long> add_absence(Connection& connection, const std::string& dealer_id,
                              const std::string& user_id, core::Instant from, core::Instant to,
                              const std::string& note) {
    if (to <= from)
        return make_error(ErrorCode::invalid_input, "the absence ends before it starts");
    auto rows =
        connection.exec("INSERT INTO absences (dealer_id, user_id, starts_at, ends_at, "
                        "note) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                        {dealer_id, user_id, timestamp_param(from), timestamp_param(to), note});
    if (!rows)
        return rows.error();
    return rows->integer(0, 0);
}

Result<long long> clear_absences(Connection& connection, const std::string& dealer_id,
                                 const std::string& user_id, core::Instant now) {
    auto tx = Transaction::begin(connection);
    if (!tx)
        return tx.error();
    auto removed = connection.exec("DELETE FROM absences WHERE dealer_id = $1 AND user_id = $2 "
                                   "AND starts_at > $3",
                                   {dealer_id, user_id, timestamp_param(now)});
    if (!removed)
        return removed.error();
    auto ended = connection.exec("UPDATE absences SET ends_at = $3 WHERE dealer_id = $1 AND "
                                 "user_id = $2 AND starts_at <= $3 AND ends_at > $3",
                                 {dealer_id, user_id, timestamp_param(now)});
    if (!ended)
        return ended.error();
    if (auto committed = tx->commit(); !committed)
        return committed.error();
    return removed->affected() + ended->affected();
}

Result<std::vector<Absence>> list_absences(Connection& connection, const std::string& dealer_id,
                                           core::Instant now) {
    auto rows =
        connection.exec("SELECT id, user_id, extract(epoch FROM starts_at)::bigint, "
                        "extract(epoch FROM ends_at)::bigint, coalesce(note, '') FROM absences "
                        "WHERE dealer_id = $1 AND ends_at > $2 ORDER BY starts_at, id",
                        {dealer_id, timestamp_param(now)});
    if (!rows)
        return rows.error();
    std::vector<Absence> out;
    for (int i = 0; i < rows->size(); ++i)
        out.push_back({rows->integer(i, 0), rows->text(i, 1),
                       instant_from_epoch(rows->integer(i, 2)),
                       instant_from_epoch(rows->integer(i, 3)), rows->text(i, 4)});
    return out;
}

} // namespace lr::store
