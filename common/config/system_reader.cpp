#include "config/readers.hpp"
#include "util/strings.hpp"

namespace lr::config {

namespace {

bool valid_host_port(std::string_view text) {
    size_t colon = text.rfind(':');
    std::string_view host = text.substr(0, colon);
    if (host.empty() || host.find_first_of(" /@") != std::string_view::npos)
        return false;
    if (colon == std::string_view::npos)
        return true;
    std::string_view port = text.substr(colon + 1);
    if (port.empty() || port.size() > 5)
        return false;
    int value = 0;
    for (char c : port) {
        if (c < '0' || c > '9')
            return false;
        value = value * 10 + (c - '0');
    }
    return value >= 1 && value <= 65535;
}

bool valid_milter_socket(std::string_view text) {
    return (util::starts_with_icase(text, "unix:") && text.size() > 5) ||
           (util::starts_with_icase(text, "local:") && text.size() > 6) ||
           util::starts_with_icase(text, "inet:") || util::starts_with_icase(text, "inet6:");
}

} // namespace

core::SystemConfig read_system(const YAML::Node& node, Diagnostics& diagnostics) {
    core::SystemConfig system;
    if (!node.IsDefined())
        return system; // the caller reported the missing key
    MapReader reader(node, "system", diagnostics);
    if (!reader.valid())
        return system;

    system.database = reader.text("database", Need::required).value_or("");

    if (const YAML::Node milter = reader.get("milter"); milter.IsDefined()) {
        MapReader milter_reader(milter, "system.milter", diagnostics);
        if (auto socket = milter_reader.text("socket")) {
            if (valid_milter_socket(*socket))
                system.milter_socket = *socket;
            else
                milter_reader.error(milter["socket"], "socket",
                                    "\"" + *socket +
                                        "\" is not a milter socket (unix:/path or inet:port@host)");
        }
        if (auto action = milter_reader.text("on_db_error")) {
            if (*action == "tempfail")
                system.on_db_error = core::OnDbError::tempfail;
            else if (*action == "accept")
                system.on_db_error = core::OnDbError::accept;
            else
                milter_reader.error(milter["on_db_error"], "on_db_error",
                                    "\"" + *action + "\" is neither tempfail nor accept");
        }
        milter_reader.finish();
    }
    if (system.milter_socket.empty())
        system.milter_socket = "unix:/run/leadmilter/milter.sock";

    system.smtp_server = "127.0.0.1:25";
    if (const YAML::Node smtp = reader.get("smtp"); smtp.IsDefined()) {
        MapReader smtp_reader(smtp, "system.smtp", diagnostics);
        if (auto server = smtp_reader.text("server")) {
            if (valid_host_port(*server))
                system.smtp_server = *server;
            else
                smtp_reader.error(smtp["server"], "server",
                                  "\"" + *server + "\" is not host or host:port");
        }
        smtp_reader.finish();
    }

    if (auto url = reader.text("automanager_url", Need::required)) {
        if (util::starts_with_icase(*url, "https://") || util::starts_with_icase(*url, "http://"))
            system.automanager_url = *url;
        else
            reader.error(node["automanager_url"], "automanager_url",
                         "\"" + *url + "\" is not an http(s) URL");
    }
    system.dealers_dir = reader.nullable_text("dealers_dir");
    reader.finish();
    return system;
}

bool is_valid_host_port(std::string_view text) {
    return valid_host_port(text);
}

} // namespace lr::config
