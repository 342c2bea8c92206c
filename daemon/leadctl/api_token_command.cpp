// leadctl api-token NAME: a fresh bearer token for the integration API
// (issue #16) and the system.web.api_tokens entry that admits it. The
// token is printed once and stored nowhere; the configuration holds only
// its SHA-256.
#include "command.hpp"
#include "web/api_token.hpp"

#include <ostream>

namespace lr::ctl {

namespace {

int run_api_token(Context& ctx) {
    const auto& positional = ctx.args.positional;
    if (positional.size() != 1 || positional[0].empty() || positional[0].size() > 64 ||
        positional[0].find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-_.") !=
            std::string::npos) {
        ctx.err << "usage: leadctl api-token NAME [--dealers D1,D2 | --dealers '*'] [--read-only]"
                   "\n(NAME: 1 to 64 lower-case letters, digits, - _ .)\n";
        return exit_usage;
    }
    const std::string dealers = ctx.args.value("dealers").value_or("*");
    const std::string token = web::new_api_token();
    ctx.out << "token (give it to the integration; it is shown only now):\n  " << token
            << "\n\nadd to system.web.api_tokens and reload leadweb (systemctl reload leadweb):\n"
            << "    - name: " << positional[0] << "\n"
            << "      sha256: \"" << web::token_sha256(token) << "\"\n"
            << "      dealers: " << (dealers == "*" ? "\"*\"" : "[" + dealers + "]") << "\n"
            << "      scopes: " << (ctx.args.has("read-only") ? "[read]" : "[read, act]") << "\n";
    return exit_ok;
}

} // namespace

Command api_token_command() {
    return {
        "api-token",
        "make a bearer token for the integration API and print its configuration entry",
        "NAME [--dealers D1,D2] [--read-only]",
        {{"dealers", true, "the dealers it may see, comma-separated (default: all, \"*\")", "LIST"},
         {"read-only", false, "scope read only (no actions)"}},
        run_api_token};
}

} // namespace lr::ctl
