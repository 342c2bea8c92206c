// The two halves of a configuration file, read into the core model:
// the system block and one dealer (a list entry, or a file of dealers_dir).
#pragma once

#include "config/yaml_reader.hpp"
#include "core/config.hpp"

namespace lr::config {

core::SystemConfig read_system(const YAML::Node& node, Diagnostics& diagnostics);

// index names the dealer in messages while its id is unknown.
core::Dealer read_dealer(const YAML::Node& node, const std::string& index,
                         Diagnostics& diagnostics);

// reaction_proofs: a list of reply_address, smtp_auth,
// authentication_results; absent gives nothing, an empty list no proof.
std::optional<core::ReactionProofs> read_reaction_proofs(MapReader& reader);

// tls, ca_file, credentials_file, client_cert, client_key of system.smtp
// or a dealer's mail_server mapping (issue #20). Paths must be absolute; a
// password needs tls: required, so it never crosses the network in clear.
void read_smtp_security(MapReader& reader, core::SmtpSecurity& security);

// The retention periods a privacy block sets (system.privacy or a
// dealer's privacy), each into its target when given; each must be
// longer than 0.
struct RetentionTargets {
    std::function<void(std::chrono::seconds)> raw_mail, unassignable, leads, sent_mail;
};
void read_retention(MapReader& reader, const YAML::Node& node, const RetentionTargets& targets);

// "host" or "host:port", as smtp.server and mail_server are written.
bool is_valid_host_port(std::string_view text);

// A whole number from low to high, or an error at the key.
std::optional<unsigned long> bounded_number(MapReader& reader, const YAML::Node& node,
                                            const std::string& name, unsigned long low,
                                            unsigned long high);

// What is wrong with a milter socket spec (unix:/path, local:/path,
// inet:PORT@HOST, inet6:PORT@HOST), if anything. inet without a host is
// refused: libmilter would listen on every address.
std::optional<std::string> milter_socket_problem(std::string_view text);
// A warning for an inet socket on an address other than loopback.
std::optional<std::string> milter_socket_warning(std::string_view text);

} // namespace lr::config
