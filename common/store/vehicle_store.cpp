#include "store/vehicle_store.hpp"

namespace lr::store {

Result<ImportReport> replace_inventory(Connection& connection, const std::string& dealer_id,
                                       const std::vector<core::Vehicle>& vehicles) {
    auto tx = Transaction::begin(connection);
    if (!tx)
        return tx.error();
    // Serialise imports of one dealer: a second import waits instead of
    // failing on the unique constraint half-way.
    if (auto lock = connection.exec("SELECT pg_advisory_xact_lock(hashtext('vehicles:' || $1))",
                                    {dealer_id});
        !lock)
        return lock.error();
    ImportReport report;
    auto removed = connection.exec("DELETE FROM vehicles WHERE dealer_id = $1", {dealer_id});
    if (!removed)
        return removed.error();
    report.removed = removed->affected();

    for (const auto& vehicle : vehicles) {
        auto inserted = connection.exec(
            "INSERT INTO vehicles (dealer_id, internal_number, location_id, condition, make, "
            "model, vin) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            {dealer_id, vehicle.internal_number, vehicle.location, vehicle.condition, vehicle.make,
             vehicle.model, vehicle.vin});
        if (!inserted)
            return inserted.error();
        std::string id = inserted->text(0, 0);
        for (const auto& [marketplace, listing_id] : vehicle.listing_ids)
            if (auto row = connection.exec("INSERT INTO vehicle_listings (vehicle_id, marketplace, "
                                           "listing_id) VALUES ($1, $2, $3)",
                                           {id, marketplace, listing_id});
                !row)
                return row.error();
        for (const auto& [type, path] : vehicle.exposes)
            if (auto row = connection.exec(
                    "INSERT INTO vehicle_exposes (vehicle_id, type, path) VALUES ($1, $2, $3)",
                    {id, type, path});
                !row)
                return row.error();
        ++report.imported;
    }
    if (auto committed = tx->commit(); !committed)
        return committed.error();
    return report;
}

Result<long long> count_vehicles(Connection& connection, const std::string& dealer_id) {
    auto rows = connection.exec("SELECT count(*) FROM vehicles WHERE dealer_id = $1", {dealer_id});
    if (!rows)
        return rows.error();
    return rows->integer(0, 0);
}

} // namespace lr::store
