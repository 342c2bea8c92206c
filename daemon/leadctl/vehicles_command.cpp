// leadctl vehicles import --dealer D FILE.csv: replace the dealer's
// inventory (SPEC §10). A bad row names its line and nothing is imported.
#include "command.hpp"
#include "core/vehicle.hpp"
#include "mail/expose_file.hpp"
#include "store/vehicle_store.hpp"
#include "util/csv.hpp"
#include "util/json.hpp"

#include <algorithm>
#include <fstream>
#include <ostream>
#include <sstream>

namespace lr::ctl {

namespace {

int run_import(Context& ctx, const std::string& path) {
    auto config = ctx.load_config();
    if (!config)
        return exit_failure;
    const core::Dealer* dealer = ctx.require_dealer(*config);
    if (!dealer)
        return exit_failure;

    std::ifstream in(path, std::ios::binary);
    if (!in) {
        ctx.err << "leadctl vehicles import: " << path << ": cannot be read\n";
        return exit_failure;
    }
    std::ostringstream text;
    text << in.rdbuf();
    auto records = util::parse_csv(text.str());
    if (!records) {
        ctx.err << path << ": " << records.error().message << "\n"
                << "leadctl vehicles import: nothing was imported\n";
        return exit_failure;
    }
    auto inventory = core::read_inventory(*records, *dealer);
    // The exposés a row names are mailed to customers: each must be a PDF
    // inside system.expose_dir (mail/expose_file.hpp).
    for (const auto& vehicle : inventory.vehicles)
        for (const auto& [type, file] : vehicle.exposes)
            if (auto checked = mail::check_expose(config->system.expose_dir, file); !checked)
                inventory.errors.emplace_back(vehicle.line,
                                              "expose:" + type + ": " + checked.error().message);
    std::stable_sort(inventory.errors.begin(), inventory.errors.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    if (!inventory.errors.empty()) {
        for (const auto& [line, problem] : inventory.errors)
            ctx.err << path << ":" << line << ": " << problem << "\n";
        ctx.err << "leadctl vehicles import: " << inventory.errors.size()
                << " bad row(s); nothing was imported\n";
        return exit_failure;
    }
    auto connection = ctx.open_database(config.get());
    if (!connection)
        return exit_failure;
    auto report = store::replace_inventory(*connection, dealer->id, inventory.vehicles);
    if (!report) {
        ctx.err << "leadctl vehicles import: " << report.error().message
                << "\nleadctl vehicles import: nothing was imported\n";
        return exit_failure;
    }
    if (ctx.json())
        ctx.out << json_text(Json{{"dealer", dealer->id},
                                  {"imported", report->imported},
                                  {"replaced", report->removed}})
                << "\n";
    else
        ctx.out << dealer->id << ": imported " << report->imported << " vehicle(s), replacing "
                << report->removed << "\n";
    return exit_ok;
}

int run_vehicles(Context& ctx) {
    const auto& positional = ctx.args.positional;
    if (positional.size() != 2 || positional[0] != "import") {
        ctx.err << "usage: leadctl vehicles import --dealer D FILE.csv\n";
        return exit_usage;
    }
    return run_import(ctx, positional[1]);
}

} // namespace

Command vehicles_command() {
    return {"vehicles",
            "import the dealer's vehicle inventory from CSV (replaces it)",
            "import --dealer D FILE.csv",
            {{"dealer", true, "dealer id (Kürzel)", "D"},
             {"database", true, "libpq conninfo (default: system.database)", "CONNINFO"},
             {"json", false, "print {dealer, imported, replaced} as JSON"}},
            run_vehicles};
}

} // namespace lr::ctl
