#include "cli.hpp"

#include "command.hpp"

#include <ostream>

namespace lr::ctl {

namespace {

std::vector<Command> all_commands() {
    return {check_command(),    users_command(),     leads_command(),    why_command(),
            claim_command(),    respond_command(),   reassign_command(), close_command(),
            resubmit_command(), reply_command(),     absence_command(),  plan_command(),
            vehicles_command(), migrate_command(),   classify_command(), dealer_command(),
            outbox_command(),   api_token_command(), privacy_command(),  mark_deal_command(),
            report_command()};
}

void print_overview(std::ostream& out, const std::vector<Command>& commands) {
    out << "usage: leadctl COMMAND [OPTIONS]\n\ncommands:\n";
    for (const auto& command : commands) {
        std::string name = "  " + command.name;
        name.resize(std::max<size_t>(name.size() + 2, 20), ' ');
        out << name << command.summary << "\n";
    }
    out << "\n'leadctl COMMAND --help' describes one command.\n";
}

std::vector<util::OptionSpec> options_of(const Command& command) {
    auto options = common_options();
    options.insert(options.end(), command.options.begin(), command.options.end());
    return options;
}

void print_usage(std::ostream& out, const Command& command) {
    out << "usage: leadctl " << command.name << (command.usage.empty() ? "" : " ") << command.usage
        << "\n\n"
        << command.summary << "\n\noptions:\n"
        << util::describe_options(options_of(command));
}

} // namespace

int run_leadctl(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    const auto commands = all_commands();
    if (args.empty() || args.front() == "--help" || args.front() == "-h" ||
        args.front() == "help") {
        print_overview(args.empty() ? err : out, commands);
        return args.empty() ? exit_usage : exit_ok;
    }
    auto command = std::find_if(commands.begin(), commands.end(),
                                [&](const Command& c) { return c.name == args.front(); });
    if (command == commands.end()) {
        err << "leadctl: unknown command \"" << args.front() << "\"\n\n";
        print_overview(err, commands);
        return exit_usage;
    }
    auto parsed = util::parse_args({args.begin() + 1, args.end()}, options_of(*command));
    if (!parsed) {
        err << "leadctl " << command->name << ": " << parsed.error().message << "\n\n";
        print_usage(err, *command);
        return exit_usage;
    }
    if (parsed->has("help")) {
        print_usage(out, *command);
        return exit_ok;
    }
    Context context{std::move(parsed).value(), out, err};
    return command->run(context);
}

} // namespace lr::ctl
