#include "config/readers.hpp"
#include "util/strings.hpp"

#include <cstdio>
#include <cstdlib>
#include <regex>

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

// "50M", "512K", "1G" or plain bytes.
std::optional<std::uint64_t> parse_size(std::string_view text) {
    std::uint64_t value = 0;
    size_t i = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
        if (value > (1ull << 40))
            return std::nullopt;
        value = value * 10 + static_cast<std::uint64_t>(text[i] - '0');
    }
    if (i == 0)
        return std::nullopt;
    std::string unit = util::to_lower(text.substr(i));
    if (unit.empty() || unit == "b")
        return value;
    if (unit == "k" || unit == "kb")
        return value << 10;
    if (unit == "m" || unit == "mb")
        return value << 20;
    if (unit == "g" || unit == "gb")
        return value << 30;
    return std::nullopt;
}

bool valid_sender_match(std::string_view text) {
    return !text.empty() && text.find_first_of(" \t<>,;") == std::string_view::npos &&
           text.find('.') != std::string_view::npos && text.front() != '@' && text.back() != '.';
}

core::SourceProfile read_source_profile(const YAML::Node& node, const std::string& key,
                                        Diagnostics& diagnostics) {
    core::SourceProfile profile;
    MapReader reader(node, key, diagnostics);
    if (!reader.valid())
        return profile;
    profile.name = reader.text("name", Need::required).value_or("");
    for (const auto& sender : reader.text_list("senders")) {
        if (valid_sender_match(sender))
            profile.senders.push_back(util::to_lower(sender));
        else
            reader.error(node["senders"], "senders",
                         "\"" + sender + "\" is neither a domain nor an address");
    }
    if (auto pattern = reader.text("subject")) {
        try {
            std::regex check(*pattern, std::regex::ECMAScript | std::regex::icase);
            profile.subject_pattern = *pattern;
        } catch (const std::regex_error& error) {
            reader.error(node["subject"], "subject",
                         "\"" + *pattern + "\" is not a regular expression: " + error.what());
        }
    }
    if (const YAML::Node labels = reader.get("labels"); labels.IsDefined()) {
        if (!labels.IsMap()) {
            reader.error(labels, "labels",
                         "expected a mapping of label: field, found " + describe(labels));
        } else {
            for (const auto& entry : labels) {
                auto label = entry.first.as<std::string>();
                auto field_name = entry.second.IsScalar() ? entry.second.as<std::string>() : "";
                if (auto field = core::form_field_named(field_name))
                    profile.labels.emplace_back(label, *field);
                else
                    reader.error(entry.second, "labels",
                                 "\"" + field_name +
                                     "\" is not a form field (salutation, "
                                     "first_name, last_name, full_name, email, phone, message, "
                                     "listing_id, internal_number, vin, make, model, vehicle, "
                                     "first_registration, mileage, request_type)");
            }
        }
    }
    if (auto kind = reader.text("kind")) {
        if (*kind == "lead" || *kind == "tradein")
            profile.kind = *kind;
        else
            reader.error(node["kind"], "kind", "\"" + *kind + "\" is neither lead nor tradein");
    }
    if (profile.senders.empty() && !profile.subject_pattern && !profile.name.empty())
        reader.error(node, "senders", "a profile needs senders or a subject pattern");
    reader.finish();
    return profile;
}

// One entry of system.web.api_tokens; nullopt when it is unusable
// (reported).
std::optional<core::ApiToken> read_api_token(const YAML::Node& node, const std::string& key,
                                             Diagnostics& diagnostics) {
    MapReader reader(node, key, diagnostics);
    if (!reader.valid())
        return std::nullopt;
    core::ApiToken token;
    bool usable = true;
    auto name = reader.text("name", Need::required);
    if (name &&
        (name->empty() || name->size() > 64 ||
         name->find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-_.") != std::string::npos)) {
        reader.error(node["name"], "name",
                     "\"" + *name +
                         "\" is not a name of 1 to 64 lower-case letters, digits, - _ .");
        usable = false;
    }
    token.name = name.value_or("");
    auto hash = reader.text("sha256", Need::required);
    if (hash) {
        token.sha256 = util::to_lower(*hash);
        if (token.sha256.size() != 64 ||
            token.sha256.find_first_not_of("0123456789abcdef") != std::string::npos) {
            reader.error(node["sha256"], "sha256",
                         "is not 64 hex digits: put the SHA-256 of the token here, as "
                         "`leadctl api-token NAME` prints it, never the token itself");
            usable = false;
        }
    }
    const YAML::Node dealers = reader.get("dealers", Need::required);
    if (dealers.IsScalar() && dealers.as<std::string>() == "*")
        token.all_dealers = true;
    else if (dealers.IsSequence())
        token.dealers = reader.text_list("dealers");
    else if (dealers.IsDefined()) {
        reader.error(dealers, "dealers", "is neither \"*\" nor a list of dealer ids");
        usable = false;
    }
    const YAML::Node scopes = reader.get("scopes", Need::required);
    for (const auto& scope : reader.text_list("scopes")) {
        if (scope == "read")
            token.read = true;
        else if (scope == "act")
            token.act = true;
        else {
            reader.error(scopes, "scopes", "\"" + scope + "\" is neither read nor act");
            usable = false;
        }
    }
    if (token.act && !token.read)
        token.read = true; // who may act on a lead must be able to see it
    reader.finish();
    if (!name || !hash || !dealers.IsDefined() || !scopes.IsDefined() || !usable)
        return std::nullopt;
    return token;
}

void read_web(const YAML::Node& node, core::WebSettings& web, Diagnostics& diagnostics) {
    MapReader reader(node, "system.web", diagnostics);
    if (!reader.valid())
        return;
    if (auto listen = reader.text("listen")) {
        if (!valid_host_port(*listen) || listen->rfind(':') == std::string::npos)
            reader.error(node["listen"], "listen", "\"" + *listen + "\" is not host:port");
        else
            web.listen = *listen;
    }
    if (auto url = reader.nullable_text("public_url")) {
        const bool https = util::starts_with_icase(*url, "https://");
        const bool http = util::starts_with_icase(*url, "http://");
        const std::string rest = url->substr(https ? 8 : http ? 7 : 0);
        if ((!https && !http) || rest.empty() || rest.find_first_of("?#@ ") != std::string::npos)
            reader.error(node["public_url"], "public_url",
                         "\"" + *url + "\" is not an http(s) URL without query or user");
        else {
            web.public_url = *url;
            while (web.public_url->back() == '/')
                web.public_url->pop_back();
            if (http)
                reader.warning(node["public_url"], "public_url",
                               "links over plain http can be read on the way; put leadweb "
                               "behind a TLS reverse proxy and use https://");
        }
    }
    web.secret_file = reader.text("secret_file").value_or(web.secret_file);
    if (auto lifetime = reader.duration("link_lifetime")) {
        if (lifetime->count() > 0)
            web.link_lifetime = *lifetime;
        else
            reader.error(node["link_lifetime"], "link_lifetime", "must be longer than 0 (e.g. 7d)");
    }
    if (auto seconds = bounded_number(reader, node, "request_timeout", 1, 300))
        web.request_timeout = std::chrono::seconds(*seconds);
    if (auto connections = bounded_number(reader, node, "max_connections", 1, 10000))
        web.max_connections = *connections;
    if (auto threads = bounded_number(reader, node, "threads", 1, 64))
        web.threads = static_cast<unsigned>(*threads);
    reader.for_each_item("api_tokens", [&](const YAML::Node& item, size_t index) {
        if (auto token = read_api_token(
                item, "system.web.api_tokens[" + std::to_string(index) + "]", diagnostics)) {
            for (const auto& earlier : web.api_tokens)
                if (earlier.name == token->name || earlier.sha256 == token->sha256)
                    reader.error(item, "api_tokens",
                                 earlier.name == token->name
                                     ? "two tokens are named \"" + token->name + "\""
                                     : "tokens \"" + earlier.name + "\" and \"" + token->name +
                                           "\" have the same sha256");
            web.api_tokens.push_back(std::move(*token));
        }
    });
    reader.finish();
}

// A metrics address: host:port on loopback only. The metrics tell volumes
// and timings of a mail system; they are for the local Prometheus (or an
// SSH tunnel), never for the network.
void read_metrics(const YAML::Node& node, core::MetricsSettings& metrics,
                  Diagnostics& diagnostics) {
    MapReader reader(node, "system.metrics", diagnostics);
    if (!reader.valid())
        return;
    for (auto [name, target] :
         {std::pair{"milter", &metrics.milter}, std::pair{"leadd", &metrics.leadd},
          std::pair{"leadweb", &metrics.leadweb}}) {
        auto listen = reader.nullable_text(name);
        if (!listen)
            continue;
        const auto colon = listen->rfind(':');
        const std::string host = colon == std::string::npos ? "" : listen->substr(0, colon);
        if (!valid_host_port(*listen) || colon == std::string::npos)
            reader.error(node[name], name, "\"" + *listen + "\" is not host:port");
        else if (host != "127.0.0.1" && host != "[::1]" && host != "localhost")
            reader.error(node[name], name,
                         "\"" + *listen +
                             "\": metrics are served on loopback only (127.0.0.1, [::1] or "
                             "localhost); let Prometheus scrape through a local proxy or tunnel");
        else
            *target = *listen;
    }
    reader.finish();
}

} // namespace

std::optional<unsigned long> bounded_number(MapReader& reader, const YAML::Node& node,
                                            const std::string& name, unsigned long low,
                                            unsigned long high) {
    auto value = reader.text(name);
    if (!value)
        return std::nullopt;
    char* end = nullptr;
    const unsigned long number = std::strtoul(value->c_str(), &end, 10);
    if (value->empty() || *end != '\0' || number < low || number > high) {
        reader.error(node[name], name,
                     "\"" + *value + "\" is not a number from " + std::to_string(low) + " to " +
                         std::to_string(high));
        return std::nullopt;
    }
    return number;
}

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
            if (auto problem = milter_socket_problem(*socket))
                milter_reader.error(milter["socket"], "socket", *problem);
            else
                system.milter_socket = *socket;
            if (auto warning = milter_socket_warning(*socket))
                milter_reader.warning(milter["socket"], "socket", *warning);
        }
        system.milter_user = milter_reader.text("user");
        system.milter_prepared_statements = milter_reader.flag("prepared_statements", true);
        system.trusted_authserv_ids = milter_reader.text_list("trusted_authserv_ids");
        for (auto& id : system.trusted_authserv_ids)
            id = util::to_lower(id);
        for (auto [name, target] : {std::pair{"max_connections", &system.milter_max_connections},
                                    std::pair{"max_messages", &system.milter_max_messages}})
            if (auto number = bounded_number(milter_reader, milter, name, 1, 1000))
                *target = *number;
        if (auto action = milter_reader.text("on_db_error")) {
            if (*action == "tempfail")
                system.on_db_error = core::OnDbError::tempfail;
            else if (*action == "accept")
                system.on_db_error = core::OnDbError::accept;
            else
                milter_reader.error(milter["on_db_error"], "on_db_error",
                                    "\"" + *action + "\" is neither tempfail nor accept");
        }
        if (auto size = milter_reader.text("max_message_size")) {
            if (auto bytes = parse_size(*size); bytes && *bytes > 0)
                system.max_message_size = *bytes;
            else
                milter_reader.error(milter["max_message_size"], "max_message_size",
                                    "\"" + *size + "\" is not a size (50M, 512K, 1G)");
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
        read_smtp_security(smtp_reader, system.smtp_security);
        if (auto lifetime = smtp_reader.duration("max_queue_lifetime")) {
            if (lifetime->count() > 0)
                system.max_queue_lifetime = *lifetime;
            else
                smtp_reader.error(smtp["max_queue_lifetime"], "max_queue_lifetime",
                                  "must be longer than 0 (e.g. 5d)");
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
    if (auto proofs = read_reaction_proofs(reader))
        system.reaction_proofs = *proofs;
    system.dealers_dir = reader.nullable_text("dealers_dir");
    system.expose_dir = reader.text("expose_dir").value_or(system.expose_dir);
    if (auto lifetime = reader.duration("action_lifetime")) {
        if (lifetime->count() > 0)
            system.action_lifetime = *lifetime;
        else
            reader.error(node["action_lifetime"], "action_lifetime",
                         "must be longer than 0 (e.g. 7d)");
    }
    if (const YAML::Node web = reader.get("web"); web.IsDefined())
        read_web(web, system.web, diagnostics);
    if (const YAML::Node metrics = reader.get("metrics"); metrics.IsDefined())
        read_metrics(metrics, system.metrics, diagnostics);
    if (const YAML::Node privacy = reader.get("privacy"); privacy.IsDefined()) {
        MapReader privacy_reader(privacy, "system.privacy", diagnostics);
        if (privacy_reader.valid()) {
            auto& periods = system.privacy.periods;
            read_retention(
                privacy_reader, privacy,
                {[&](auto p) { periods.raw_mail = p; }, [&](auto p) { periods.unassignable = p; },
                 [&](auto p) { periods.leads = p; }, [&](auto p) { periods.sent_mail = p; }});
            if (auto at = privacy_reader.text("run_at")) {
                int hours = -1;
                int minutes = -1;
                char rest = 0;
                if (std::sscanf(at->c_str(), "%2d:%2d%c", &hours, &minutes, &rest) == 2 &&
                    hours >= 0 && hours < 24 && minutes >= 0 && minutes < 60 && at->size() == 5)
                    system.privacy.run_at = std::chrono::minutes(hours * 60 + minutes);
                else
                    privacy_reader.error(privacy["run_at"], "run_at",
                                         "\"" + *at +
                                             "\" is not a time of day (HH:MM, e.g. 03:00)");
            }
            if (auto size = bounded_number(privacy_reader, privacy, "batch_size", 1, 100000))
                system.privacy.batch_size = static_cast<int>(*size);
            privacy_reader.finish();
        }
    }
    reader.for_each_item("source_profiles", [&](const YAML::Node& item, size_t index) {
        system.source_profiles.push_back(read_source_profile(
            item, "system.source_profiles[" + std::to_string(index) + "]", diagnostics));
    });
    reader.finish();
    return system;
}

void read_retention(MapReader& reader, const YAML::Node& node, const RetentionTargets& targets) {
    for (const auto& [name, target] :
         {std::pair{"raw_mail", &targets.raw_mail},
          std::pair{"unassignable", &targets.unassignable}, std::pair{"leads", &targets.leads},
          std::pair{"sent_mail", &targets.sent_mail}})
        if (auto period = reader.duration(name)) {
            if (period->count() > 0)
                (*target)(*period);
            else
                reader.error(node[name], name, "must be longer than 0 (e.g. 90d)");
        }
}

std::optional<core::ReactionProofs> read_reaction_proofs(MapReader& reader) {
    const YAML::Node node = reader.get("reaction_proofs");
    if (!node.IsDefined())
        return std::nullopt;
    core::ReactionProofs proofs{false, false, false};
    for (const auto& name : reader.text_list("reaction_proofs")) {
        if (name == "reply_address")
            proofs.reply_address = true;
        else if (name == "smtp_auth")
            proofs.smtp_auth = true;
        else if (name == "authentication_results")
            proofs.authentication_results = true;
        else
            reader.error(
                node, "reaction_proofs",
                "\"" + name +
                    "\" is not a proof (reply_address, smtp_auth, authentication_results)");
    }
    return proofs;
}

std::optional<std::string> milter_socket_problem(std::string_view text) {
    const std::string quoted = "\"" + std::string(text) + "\"";
    if ((util::starts_with_icase(text, "unix:") && text.size() > 5) ||
        (util::starts_with_icase(text, "local:") && text.size() > 6))
        return std::nullopt;
    if (util::starts_with_icase(text, "inet:") || util::starts_with_icase(text, "inet6:")) {
        const auto at = text.find('@');
        if (at == std::string_view::npos || at + 1 == text.size())
            // libmilter would listen on every address of the host.
            return quoted + " names no host: write inet:PORT@127.0.0.1 (or the one address "
                            "Postfix connects from)";
        return std::nullopt;
    }
    return quoted + " is not a milter socket (unix:/path or inet:port@host)";
}

std::optional<std::string> milter_socket_warning(std::string_view text) {
    const auto at = text.find('@');
    if (!(util::starts_with_icase(text, "inet:") || util::starts_with_icase(text, "inet6:")) ||
        at == std::string_view::npos || at + 1 == text.size())
        return std::nullopt;
    std::string host = util::to_lower(text.substr(at + 1));
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    if (host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0)
        return std::nullopt;
    return "listens on " + host +
           ", not on loopback: anyone who reaches that address can feed mail to the milter "
           "(firewall it to the Postfix hosts)";
}

bool is_valid_host_port(std::string_view text) {
    return valid_host_port(text);
}

} // namespace lr::config
