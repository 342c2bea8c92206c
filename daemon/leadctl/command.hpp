// What every leadctl command gets: its parsed arguments, the output
// streams, and the shared steps (load the configuration, open the
// database) that print their own error and tell the caller to stop.
#pragma once

#include "core/config.hpp"
#include "core/zoned_time.hpp"
#include "store/pg.hpp"
#include "util/args.hpp"

#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lr::ctl {

enum Exit { exit_ok = 0, exit_failure = 1, exit_usage = 2 };

// The configuration, the dealer of --dealer and, when asked for, the
// database: what most commands start with.
struct DealerSession {
    std::shared_ptr<const core::Config> config;
    const core::Dealer* dealer = nullptr;
    std::optional<store::Connection> connection;
};

struct Context {
    util::ParsedArgs args;
    std::ostream& out;
    std::ostream& err;

    std::string config_path() const;
    bool json() const { return args.has("json"); }

    // Prints every error and returns null when the configuration is invalid.
    std::shared_ptr<const core::Config> load_config() const;
    // --database, else system.database of the configuration.
    std::optional<store::Connection> open_database(const core::Config* config) const;
    const core::Dealer* require_dealer(const core::Config& config) const;
    // Prints what is wrong and returns nullopt when any step fails.
    std::optional<DealerSession> open_dealer(bool with_database) const;
    // The configuration and the database, no dealer: for commands that
    // find the dealer through a lead or a mail.
    std::optional<DealerSession> open_session() const;
    core::Instant now() const;
};

struct Command {
    std::string name;
    std::string summary;
    std::string usage; // after "leadctl <name> "
    std::vector<util::OptionSpec> options;
    std::function<int(Context&)> run;
};

// Options every command accepts.
std::vector<util::OptionSpec> common_options();

// The commands, one per file.
Command check_command();
Command users_command();
Command migrate_command();
Command vehicles_command();
Command claim_command();
Command respond_command();
Command reassign_command();
Command close_command();
Command resubmit_command();
Command reply_command();
Command absence_command();
Command leads_command();
Command why_command();
Command plan_command();
Command api_token_command();
Command privacy_command();
Command mark_deal_command();
Command classify_command();
Command dealer_command();
Command outbox_command();
Command report_command();

} // namespace lr::ctl
