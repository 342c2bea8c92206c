#include "config/readers.hpp"

namespace lr::config {

namespace {

std::optional<std::string> absolute_path(MapReader& reader, const std::string& name) {
    auto path = reader.text(name);
    if (path && (path->empty() || path->front() != '/')) {
        reader.error(reader.node()[name], name,
                     "\"" + *path +
                         "\" must be an absolute path (the daemons' working "
                         "directory is not the configuration's)");
        return std::nullopt;
    }
    return path;
}

} // namespace

void read_smtp_security(MapReader& reader, core::SmtpSecurity& security) {
    if (auto tls = reader.text("tls")) {
        if (*tls == "opportunistic")
            security.tls = core::SmtpTls::opportunistic;
        else if (*tls == "required")
            security.tls = core::SmtpTls::required;
        else if (*tls == "none")
            security.tls = core::SmtpTls::none;
        else
            reader.error(reader.node()["tls"], "tls",
                         "\"" + *tls + "\" is not required, opportunistic or none");
    }
    security.ca_file = absolute_path(reader, "ca_file");
    security.credentials_file = absolute_path(reader, "credentials_file");
    security.client_cert = absolute_path(reader, "client_cert");
    security.client_key = absolute_path(reader, "client_key");
    if (security.credentials_file && security.tls != core::SmtpTls::required)
        reader.error(reader.node()["credentials_file"], "credentials_file",
                     "needs tls: required (a password must not cross the network in clear, "
                     "nor go to a server whose certificate is not checked)");
    if (security.client_cert.has_value() != security.client_key.has_value())
        reader.error(reader.node(), security.client_cert ? "client_key" : "client_cert",
                     "client_cert and client_key go together");
}

} // namespace lr::config
