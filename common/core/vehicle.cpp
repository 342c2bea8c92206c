#include "core/vehicle.hpp"

#include "util/strings.hpp"

#include <cctype>
#include <set>

namespace lr::core {

namespace {

enum class Column { internal_number, location, condition, make, model, vin, listing, expose };

struct ColumnSpec {
    Column column;
    std::string suffix; // marketplace or exposé type
};

std::optional<ColumnSpec> column_for(std::string_view header) {
    std::string name = util::to_lower(util::trim(header));
    static const std::pair<const char*, Column> plain[] = {
        {"internal_number", Column::internal_number},
        {"location", Column::location},
        {"condition", Column::condition},
        {"make", Column::make},
        {"model", Column::model},
        {"vin", Column::vin}};
    for (const auto& [label, column] : plain)
        if (name == label)
            return ColumnSpec{column, {}};
    for (const auto& [prefix, column] :
         {std::pair{"listing:", Column::listing}, std::pair{"expose:", Column::expose}}) {
        std::string_view prefix_view = prefix;
        if (name.size() > prefix_view.size() && name.compare(0, prefix_view.size(), prefix) == 0)
            return ColumnSpec{column, std::string(util::trim(name.substr(prefix_view.size())))};
    }
    return std::nullopt;
}

std::optional<std::string> non_empty(std::string_view value) {
    auto trimmed = util::trim(value);
    if (trimmed.empty())
        return std::nullopt;
    return std::string(trimmed);
}

std::optional<std::string> normalise_condition(std::string_view value) {
    std::string lower = util::to_lower(util::trim(value));
    if (lower == "new" || lower == "neu")
        return "new";
    if (lower == "used" || lower == "gebraucht")
        return "used";
    return std::nullopt;
}

} // namespace

bool is_valid_vin(std::string_view vin) {
    if (vin.size() != 17)
        return false;
    for (char c : vin) {
        bool digit = c >= '0' && c <= '9';
        bool letter = c >= 'A' && c <= 'Z' && c != 'I' && c != 'O' && c != 'Q';
        if (!digit && !letter)
            return false;
    }
    return true;
}

InventoryParse read_inventory(const std::vector<util::CsvRecord>& records, const Dealer& dealer) {
    InventoryParse out;
    if (records.empty()) {
        out.errors.emplace_back(1, "the file is empty (a header line is required)");
        return out;
    }
    const auto& header = records.front();
    std::vector<ColumnSpec> columns;
    bool has_number = false;
    for (const auto& name : header.fields) {
        auto spec = column_for(name);
        if (!spec) {
            out.errors.emplace_back(header.line, "unknown column \"" + name + "\"");
            continue;
        }
        has_number = has_number || spec->column == Column::internal_number;
        columns.push_back(*spec);
    }
    if (!has_number)
        out.errors.emplace_back(header.line, "the column internal_number is missing");
    if (!out.errors.empty())
        return out;

    std::set<std::string> seen;
    for (size_t r = 1; r < records.size(); ++r) {
        const auto& record = records[r];
        auto fail = [&](std::string problem) { out.errors.emplace_back(record.line, problem); };
        if (record.fields.size() != columns.size()) {
            fail("has " + std::to_string(record.fields.size()) + " fields, the header has " +
                 std::to_string(columns.size()));
            continue;
        }
        Vehicle vehicle;
        vehicle.line = record.line;
        bool ok = true;
        for (size_t c = 0; c < columns.size(); ++c) {
            const std::string& raw = record.fields[c];
            auto value = non_empty(raw);
            switch (columns[c].column) {
            case Column::internal_number:
                vehicle.internal_number = value.value_or("");
                break;
            case Column::location:
                if (value && !dealer.find_location(*value)) {
                    fail("unknown location \"" + *value + "\" for dealer " + dealer.id);
                    ok = false;
                }
                vehicle.location = value;
                break;
            case Column::condition:
                if (value) {
                    vehicle.condition = normalise_condition(*value);
                    if (!vehicle.condition) {
                        fail("condition \"" + *value + "\" is neither new nor used");
                        ok = false;
                    }
                }
                break;
            case Column::make:
                vehicle.make = value;
                break;
            case Column::model:
                vehicle.model = value;
                break;
            case Column::vin:
                if (value) {
                    std::string vin = *value;
                    for (char& ch : vin)
                        ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
                    if (!is_valid_vin(vin)) {
                        fail("\"" + *value + "\" is not a VIN (17 letters and digits, no I, O, Q)");
                        ok = false;
                    }
                    vehicle.vin = vin;
                }
                break;
            case Column::listing:
                if (value)
                    vehicle.listing_ids[columns[c].suffix] = *value;
                break;
            case Column::expose:
                if (value)
                    vehicle.exposes[columns[c].suffix] = *value;
                break;
            }
        }
        if (vehicle.internal_number.empty()) {
            fail("internal_number is empty");
            ok = false;
        } else if (!seen.insert(vehicle.internal_number).second) {
            fail("internal_number \"" + vehicle.internal_number + "\" appears twice");
            ok = false;
        }
        if (ok)
            out.vehicles.push_back(std::move(vehicle));
    }
    return out;
}

} // namespace lr::core
