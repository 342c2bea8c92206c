#include "config/loader.hpp"
#include "example_config.hpp"
#include "test_database.hpp"

#include <catch2/catch.hpp>
#include <date/tz.h>

using namespace lr;
using namespace std::chrono_literals;

namespace {

std::string spec_example() {
    return std::string(LEADROUTER_SPEC_DIR) + "/config-example.yaml";
}

const std::string minimal_system = R"(system:
  database: "dbname=x"
  automanager_url: "https://am.example/leads/"
)";

} // namespace

TEST_CASE("the specification's example configuration loads with every value", "[config]") {
    auto loaded = config::load_config_file(spec_example());
    for (const auto& d : loaded.diagnostics)
        INFO(core::format_diagnostic(d));
    REQUIRE(loaded.config);
    CHECK(loaded.diagnostics.empty());
    const auto& config = *loaded.config;

    CHECK(config.system.database == "host=/run/postgresql dbname=leadrouter");
    CHECK(config.system.milter_socket == "unix:/run/leadmilter/milter.sock");
    CHECK(config.system.on_db_error == core::OnDbError::tempfail);
    CHECK(config.system.smtp_server == "127.0.0.1:25");
    CHECK(config.system.automanager_url == "https://automanager.example/leads/");
    CHECK_FALSE(config.system.dealers_dir);

    REQUIRE(config.dealers.size() == 1);
    const auto& dealer = config.dealers.front();
    CHECK(dealer.id == "mueller");
    CHECK(dealer.name == "Autohaus Müller GmbH");
    CHECK(dealer.timezone == date::locate_zone("Europe/Berlin"));
    REQUIRE(dealer.locations.size() == 2);
    CHECK(dealer.locations[1].mailbox == "mueller-kiel@dein.auto");
    CHECK(dealer.locations[1].forward_to == "kiel@autohaus-mueller.example");
    CHECK(dealer.expose == "standard");
    REQUIRE(dealer.working_hours[0].size() == 2);
    CHECK(core::format_work_interval(dealer.working_hours[0][1]) == "13:30-18:00");
    CHECK(core::format_work_interval(dealer.working_hours[5][0]) == "09:00-13:00");
    REQUIRE(dealer.holidays.size() == 2);
    CHECK(core::format_date(dealer.holidays[0].from) == "2026-12-24");
    CHECK(dealer.holidays[0].from == dealer.holidays[0].to);
    CHECK(core::format_date(dealer.holidays[1].to) == "2026-12-31");
    CHECK(dealer.holidays[1].name == "Betriebsferien");
    CHECK(dealer.escalation.level1 == 2h);
    CHECK(dealer.escalation.reminder == 30min);
    CHECK(dealer.escalation.level2 == 4h);
    CHECK(dealer.escalation.level2_resubmission == 24h);
    CHECK(dealer.from_name == "Autohaus Müller – Anfragen");
    CHECK_FALSE(dealer.distribute_existing_contacts);
    CHECK(dealer.trade_in_cc == "ankauf@autohaus-mueller.example");
    CHECK(dealer.fallback_user == "zentrale");
    CHECK(dealer.admin_user == "admin");
    CHECK(dealer.unassigned_notify == "zentrale@autohaus-mueller.example");
    CHECK_FALSE(dealer.mail_server);
    CHECK(dealer.send_external_mail);
    CHECK_FALSE(dealer.lead_tracking);
    CHECK(dealer.resubmission_respects_hours);
    CHECK_FALSE(dealer.use_vehicle_location_rules);
    CHECK_FALSE(dealer.pool.enabled);
    CHECK(dealer.pool.user == "pool");
    CHECK(dealer.pool.oldest_only);
    REQUIRE(dealer.groups.size() == 1);
    CHECK(dealer.groups[0].match.conditions == std::vector<std::string>{"new"});
    CHECK(dealer.groups[0].members == std::vector<std::string>{"schmidt", "weber"});
    REQUIRE(dealer.users.size() == 7);
    const auto* schmidt = dealer.find_user("schmidt");
    REQUIRE(schmidt);
    CHECK(schmidt->receives_leads);
    CHECK(schmidt->supervisor == "mayer");
    CHECK(schmidt->substitute == "weber");
    CHECK(schmidt->location == "hamburg");
    CHECK(dealer.find_user("yilmaz")->name == "Deniz Yılmaz");
}

TEST_CASE("the shipped conf/ example (system file plus dealers_dir) is clean", "[config]") {
    auto loaded =
        config::load_config_file(std::string(LEADROUTER_SOURCE_DIR) + "/conf/leadrouter.yaml");
    for (const auto& d : loaded.diagnostics)
        INFO(core::format_diagnostic(d));
    REQUIRE(loaded.config);
    CHECK(loaded.diagnostics.empty());
    REQUIRE(loaded.config->dealers.size() == 1);
    CHECK(loaded.config->dealers[0].id == "mueller");
}

TEST_CASE("dealers_dir adds one dealer per *.yaml file, in file-name order", "[config]") {
    auto loaded =
        config::load_config_file(lr::test::fixture_path("config/dealers-dir/leadrouter.yaml"));
    REQUIRE_FALSE(loaded.config);
    // a-nord.yaml loads; b-sued.yaml's errors point into b-sued.yaml; ignored.txt is not read.
    REQUIRE(loaded.diagnostics.size() == 2);
    CHECK(loaded.diagnostics[0].pos.file.ends_with("dealers.d/b-sued.yaml"));
    CHECK(loaded.diagnostics[0].pos.line == 3);
    CHECK(loaded.diagnostics[0].key == "dealers[sued].locations[main].mailbox");
    CHECK(loaded.diagnostics[1].pos.line == 5);
    CHECK(loaded.diagnostics[1].key == "dealers[sued].escalation.level1");
}

TEST_CASE("an invalid configuration yields no config at all (never half-applied)", "[config]") {
    auto loaded = config::load_config_text(minimal_system + R"(dealers:
  - id: d1
    locations: [{id: main, mailbox: d1@dein.auto}]
    admin_user: a
    users: [{id: a, email: a@d1.example, receives_leads: yes}]
  - id: d2
    locations: [{id: main, mailbox: d2@dein.auto}]
    admin_user: a
    users: [{id: a, email: not-an-address}]
)",
                                           "inline.yaml");
    CHECK_FALSE(loaded.config);
    CHECK(core::has_errors(loaded.diagnostics));
}

TEST_CASE("defaults: Europe/Berlin, the documented escalation times, no pool", "[config]") {
    auto loaded = config::load_config_text(minimal_system + R"(dealers:
  - id: d1
    locations: [{id: main, mailbox: D1@Dein.Auto}]
    admin_user: a
    users: [{id: a, email: a@d1.example}]
)",
                                           "inline.yaml");
    REQUIRE(loaded.config);
    const auto& dealer = loaded.config->dealers[0];
    CHECK(dealer.timezone_name == "Europe/Berlin");
    CHECK(dealer.timezone != nullptr);
    CHECK(dealer.locations[0].mailbox == "d1@dein.auto");
    CHECK(dealer.escalation.level1 == 2h);
    CHECK(dealer.escalation.reminder == 30min);
    CHECK(dealer.from_name == "d1");
    CHECK(dealer.send_external_mail);
    CHECK(dealer.resubmission_respects_hours);
    CHECK(loaded.config->system.smtp_server == "127.0.0.1:25");
    CHECK(loaded.config->system.milter_socket == "unix:/run/leadmilter/milter.sock");
}

TEST_CASE("system values are validated", "[config]") {
    auto loaded = config::load_config_text(R"(system:
  database: "dbname=x"
  milter: {socket: "/run/milter.sock", on_db_error: ignore}
  smtp: {server: "mail:99999"}
  automanager_url: "automanager.example"
)",
                                           "sys.yaml");
    REQUIRE_FALSE(loaded.config);
    std::vector<std::string> lines;
    for (const auto& d : loaded.diagnostics)
        lines.push_back(core::format_diagnostic(d));
    CHECK(lines == std::vector<std::string>{
                       "sys.yaml:3:20: error: system.milter.socket: \"/run/milter.sock\" is not a "
                       "milter socket (unix:/path or inet:port@host)",
                       "sys.yaml:3:53: error: system.milter.on_db_error: \"ignore\" is neither "
                       "tempfail nor accept",
                       "sys.yaml:4:18: error: system.smtp.server: \"mail:99999\" is not host or "
                       "host:port",
                       "sys.yaml:5:20: error: system.automanager_url: \"automanager.example\" is "
                       "not an http(s) URL"});
}

TEST_CASE("milter.socket: inet without a host is refused, a host other than loopback warned "
          "about, milter.user is read",
          "[config][attack]") {
    auto with_socket = [](const std::string& socket) {
        return config::load_config_text(minimal_system + "  milter: {socket: \"" + socket +
                                            "\", user: leadrouter}\n",
                                        "sys.yaml");
    };
    auto open = with_socket("inet:8890");
    REQUIRE_FALSE(open.config);
    REQUIRE(open.diagnostics.size() == 1);
    CHECK(core::format_diagnostic(open.diagnostics.front()) ==
          "sys.yaml:4:20: error: system.milter.socket: \"inet:8890\" names no host: write "
          "inet:PORT@127.0.0.1 (or the one address Postfix connects from)");
    auto wide = with_socket("inet:8890@0.0.0.0");
    // Only what is said of the socket (a file without dealers gets a warning of its own).
    auto about_socket = [](const config::LoadResult& loaded) {
        std::vector<std::string> lines;
        for (const auto& d : loaded.diagnostics)
            if (d.key == "system.milter.socket")
                lines.push_back(core::format_diagnostic(d));
        return lines;
    };
    REQUIRE(wide.config);
    REQUIRE(about_socket(wide).size() == 1);
    CHECK(about_socket(wide).front() ==
          "sys.yaml:4:20: warning: system.milter.socket: listens on 0.0.0.0, not on loopback: "
          "anyone who reaches that address can feed mail to the milter (firewall it to the "
          "Postfix hosts)");
    for (const char* loopback : {"inet:8890@127.0.0.1", "inet6:8890@[::1]", "inet:8890@localhost",
                                 "unix:/run/leadmilter/milter.sock"}) {
        auto fine = with_socket(loopback);
        INFO(loopback);
        REQUIRE(fine.config);
        CHECK(about_socket(fine).empty());
        CHECK(fine.config->system.milter_user == "leadrouter");
    }
}

TEST_CASE("milter.max_connections and max_messages: defaults 20 and 32, 1 to 1000", "[config]") {
    auto defaults = config::load_config_text(minimal_system, "sys.yaml");
    REQUIRE(defaults.config);
    CHECK(defaults.config->system.milter_max_connections == 20);
    CHECK(defaults.config->system.milter_max_messages == 32);
    auto set = config::load_config_text(
        minimal_system + "  milter: {max_connections: 8, max_messages: 4}\n", "sys.yaml");
    REQUIRE(set.config);
    CHECK(set.config->system.milter_max_connections == 8);
    CHECK(set.config->system.milter_max_messages == 4);
    auto bad =
        config::load_config_text(minimal_system + "  milter: {max_messages: 0}\n", "sys.yaml");
    REQUIRE_FALSE(bad.config);
    CHECK(core::format_diagnostic(bad.diagnostics.front()) ==
          "sys.yaml:4:26: error: system.milter.max_messages: \"0\" is not a number from 1 to "
          "1000");
}

TEST_CASE("milter.prepared_statements: true by default, a boolean", "[config]") {
    auto defaults = config::load_config_text(minimal_system, "sys.yaml");
    REQUIRE(defaults.config);
    CHECK(defaults.config->system.milter_prepared_statements);
    auto off = config::load_config_text(minimal_system + "  milter: {prepared_statements: false}\n",
                                        "sys.yaml");
    REQUIRE(off.config);
    CHECK_FALSE(off.config->system.milter_prepared_statements);
    auto bad = config::load_config_text(minimal_system + "  milter: {prepared_statements: maybe}\n",
                                        "sys.yaml");
    REQUIRE_FALSE(bad.config);
    CHECK(
        core::format_diagnostic(bad.diagnostics.front()) ==
        "sys.yaml:4:33: error: system.milter.prepared_statements: \"maybe\" is not true or false");
}

TEST_CASE("smtp.max_queue_lifetime: 5 days by default, a duration, never 0", "[config]") {
    auto defaults = config::load_config_text(minimal_system, "sys.yaml");
    REQUIRE(defaults.config);
    CHECK(defaults.config->system.max_queue_lifetime == 5 * 24h);
    auto set = config::load_config_text(minimal_system + "  smtp: {max_queue_lifetime: 1d12h}\n",
                                        "sys.yaml");
    REQUIRE(set.config);
    CHECK(set.config->system.max_queue_lifetime == 36h);
    for (const auto& [value, message] : std::vector<std::pair<std::string, std::string>>{
             {"5 days", "sys.yaml:4:30: error: system.smtp.max_queue_lifetime: \"5 days\" is not "
                        "a duration (write days, hours, minutes: 90m, 2h, 1h30m, 1d)"},
             {"0m", "sys.yaml:4:30: error: system.smtp.max_queue_lifetime: must be longer than 0 "
                    "(e.g. 5d)"}}) {
        auto bad = config::load_config_text(
            minimal_system + "  smtp: {max_queue_lifetime: \"" + value + "\"}\n", "sys.yaml");
        REQUIRE_FALSE(bad.config);
        REQUIRE(bad.diagnostics.size() == 1);
        CHECK(core::format_diagnostic(bad.diagnostics.front()) == message);
    }
}

TEST_CASE("a key written twice is an error, not a silent override", "[config]") {
    auto loaded =
        config::load_config_text(minimal_system + "  database: \"dbname=y\"\n", "twice.yaml");
    REQUIRE_FALSE(loaded.config);
    REQUIRE(loaded.diagnostics.size() >= 1);
    CHECK(core::format_diagnostic(loaded.diagnostics[0]) ==
          "twice.yaml:4:3: error: system.database: is written twice (the second one would be "
          "ignored)");
}

TEST_CASE("reaction proofs: all three by default, a dealer may narrow them, trusted authserv-ids "
          "in lower case, smtp_login per user",
          "[config][proof]") {
    auto defaults = config::load_config_file(spec_example());
    REQUIRE(defaults.config);
    const auto& dealer = defaults.config->dealers.front();
    const auto& proofs = defaults.config->reaction_proofs(dealer);
    CHECK(proofs.reply_address);
    CHECK(proofs.smtp_auth);
    CHECK(proofs.authentication_results);
    CHECK(defaults.config->system.trusted_authserv_ids.empty());
    CHECK_FALSE(dealer.users.front().smtp_login);

    auto set = config::load_config_text(
        minimal_system + "  reaction_proofs: [smtp_auth]\n"
                         "  milter: {trusted_authserv_ids: [MX.Dein.Auto, mx2.dein.auto]}\n",
        "sys.yaml");
    REQUIRE(set.config);
    CHECK(set.config->system.trusted_authserv_ids ==
          std::vector<std::string>{"mx.dein.auto", "mx2.dein.auto"});
    CHECK_FALSE(set.config->system.reaction_proofs.reply_address);
    CHECK(set.config->system.reaction_proofs.smtp_auth);
    CHECK_FALSE(set.config->system.reaction_proofs.authentication_results);

    auto none = config::load_config_text(minimal_system + "  reaction_proofs: []\n", "sys.yaml");
    REQUIRE(none.config);
    CHECK_FALSE(none.config->system.reaction_proofs.any());

    auto bad =
        config::load_config_text(minimal_system + "  reaction_proofs: [from_header]\n", "sys.yaml");
    REQUIRE_FALSE(bad.config);
    CHECK(core::format_diagnostic(bad.diagnostics.front()) ==
          "sys.yaml:4:20: error: system.reaction_proofs: \"from_header\" is not a proof "
          "(reply_address, smtp_auth, authentication_results)");
}

TEST_CASE("smtp tls, ca_file, credentials_file, client_cert/key: opportunistic by default, a "
          "password only with tls: required, absolute paths, a dealer's mail_server as a mapping "
          "with its own settings (issue #20)",
          "[config]") {
    auto defaults = config::load_config_text(minimal_system, "sys.yaml");
    REQUIRE(defaults.config);
    CHECK(defaults.config->system.smtp_security.tls == core::SmtpTls::opportunistic);
    CHECK_FALSE(defaults.config->system.smtp_security.credentials_file);

    auto set = config::load_config_text(
        minimal_system + "  smtp: {server: \"relay.example:587\", tls: required, ca_file: "
                         "/etc/ssl/ca.pem, credentials_file: /etc/leadrouter/smtp.secret, "
                         "client_cert: /etc/ssl/c.pem, client_key: /etc/ssl/c.key}\n",
        "sys.yaml");
    REQUIRE(set.config);
    const auto& security = set.config->system.smtp_security;
    CHECK(security.tls == core::SmtpTls::required);
    CHECK(security.ca_file == "/etc/ssl/ca.pem");
    CHECK(security.credentials_file == "/etc/leadrouter/smtp.secret");
    CHECK(security.client_cert == "/etc/ssl/c.pem");
    CHECK(security.client_key == "/etc/ssl/c.key");

    for (const auto& [smtp, message] : std::vector<std::pair<std::string, std::string>>{
             {"{tls: always}",
              "sys.yaml:4:15: error: system.smtp.tls: \"always\" is not required, opportunistic "
              "or none"},
             {"{tls: required, ca_file: ca.pem}",
              "sys.yaml:4:34: error: system.smtp.ca_file: \"ca.pem\" must be an absolute path (the "
              "daemons' working directory is not the configuration's)"},
             {"{credentials_file: /etc/leadrouter/smtp.secret}",
              "sys.yaml:4:28: error: system.smtp.credentials_file: needs tls: required (a "
              "password must not cross the network in clear, nor go to a server whose "
              "certificate is not checked)"},
             {"{tls: opportunistic, credentials_file: /etc/leadrouter/smtp.secret}",
              "sys.yaml:4:48: error: system.smtp.credentials_file: needs tls: required (a "
              "password must not cross the network in clear, nor go to a server whose "
              "certificate is not checked)"},
             {"{tls: required, client_cert: /etc/ssl/c.pem}",
              "sys.yaml:4:9: error: system.smtp.client_key: client_cert and client_key go "
              "together"}}) {
        INFO(smtp);
        auto bad = config::load_config_text(minimal_system + "  smtp: " + smtp + "\n", "sys.yaml");
        REQUIRE_FALSE(bad.config);
        REQUIRE(bad.diagnostics.size() == 1);
        CHECK(core::format_diagnostic(bad.diagnostics.front()) == message);
    }

    auto own = config::load_config_text(
        test::example_config_text(
            {{"mail_server: null", "mail_server: {server: \"mx.mueller.example:587\", tls: "
                                   "required, credentials_file: /etc/leadrouter/mueller.secret}"}}),
        "example.yaml");
    REQUIRE(own.config);
    const auto& dealer = own.config->dealers.front();
    CHECK(dealer.mail_server == "mx.mueller.example:587");
    CHECK(dealer.mail_server_security.tls == core::SmtpTls::required);
    CHECK(dealer.mail_server_security.credentials_file == "/etc/leadrouter/mueller.secret");

    auto typo = config::load_config_text(
        test::example_config_text(
            {{"mail_server: null", "mail_server: {server: \"mx.mueller.example\", password: x}"}}),
        "example.yaml");
    REQUIRE_FALSE(typo.config);
    CHECK_THAT(core::format_diagnostic(typo.diagnostics.front()),
               Catch::Contains("dealers[mueller].mail_server.password: is not a known key"));
}

TEST_CASE("system.web: loopback 8026, no public_url (no links), 7-day links, values checked",
          "[config][web]") {
    auto defaults = config::load_config_text(minimal_system, "sys.yaml");
    REQUIRE(defaults.config);
    const auto& web = defaults.config->system.web;
    CHECK(web.listen == "127.0.0.1:8026");
    CHECK_FALSE(web.public_url);
    CHECK(web.secret_file == "/etc/leadrouter/web.secret");
    CHECK(web.link_lifetime == 7 * 24h);
    CHECK(web.max_connections == 256);
    CHECK(web.request_timeout == 10s);
    CHECK(web.threads == 2);

    auto set = config::load_config_text(
        minimal_system + "  web:\n    listen: \"[::1]:9000\"\n    public_url: "
                         "\"https://leads.example.de/\"\n    secret_file: /s\n    "
                         "link_lifetime: 3d\n    max_connections: 50\n    request_timeout: 5\n"
                         "    threads: 4\n",
        "sys.yaml");
    REQUIRE(set.config);
    CHECK(set.config->system.web.listen == "[::1]:9000");
    CHECK(set.config->system.web.public_url == "https://leads.example.de"); // no trailing /
    CHECK(set.config->system.web.secret_file == "/s");
    CHECK(set.config->system.web.link_lifetime == 72h);
    CHECK(set.config->system.web.max_connections == 50);
    CHECK(set.config->system.web.request_timeout == 5s);
    CHECK(set.config->system.web.threads == 4);

    for (const auto& [line, message] : std::vector<std::pair<std::string, std::string>>{
             {"  web: {listen: \"8026\"}\n",
              "sys.yaml:4:17: error: system.web.listen: \"8026\" is not host:port"},
             {"  web: {public_url: \"ftp://x\"}\n",
              "sys.yaml:4:21: error: system.web.public_url: \"ftp://x\" is not an http(s) URL "
              "without query or user"},
             {"  web: {public_url: \"https://a@b.example\"}\n",
              "sys.yaml:4:21: error: system.web.public_url: \"https://a@b.example\" is not an "
              "http(s) URL without query or user"},
             {"  web: {link_lifetime: 0m}\n",
              "sys.yaml:4:24: error: system.web.link_lifetime: must be longer than 0 (e.g. 7d)"},
             {"  web: {request_timeout: 1h}\n",
              "sys.yaml:4:26: error: system.web.request_timeout: \"1h\" is not a number from 1 "
              "to 300"},
             {"  web: {threads: 0}\n",
              "sys.yaml:4:18: error: system.web.threads: \"0\" is not a number from 1 to 64"},
             {"  web: {secret: x}\n",
              "sys.yaml:4:9: error: system.web.secret: is not a known key"}}) {
        auto bad = config::load_config_text(minimal_system + line, "sys.yaml");
        INFO(line);
        REQUIRE_FALSE(bad.config);
        REQUIRE(bad.diagnostics.size() == 1);
        CHECK(core::format_diagnostic(bad.diagnostics.front()) == message);
    }
    auto plain = config::load_config_text(
        minimal_system + "  web: {public_url: \"http://leads.example.de\"}\n", "sys.yaml");
    REQUIRE(plain.config);
    CHECK(std::any_of(plain.diagnostics.begin(), plain.diagnostics.end(), [](const auto& d) {
        return d.severity == core::Severity::warning &&
               core::format_diagnostic(d).find("system.web.public_url: links over plain http") !=
                   std::string::npos;
    }));
}

TEST_CASE("system.web.api_tokens and system.metrics: hashes, dealers, scopes, loopback only, "
          "errors with file:line:column",
          "[config][web][metrics]") {
    const std::string hash(64, 'a');
    auto set = config::load_config_text(
        minimal_system + "  web:\n    api_tokens:\n      - name: automanager\n        sha256: \"" +
            hash +
            "\"\n        dealers: \"*\"\n        scopes: [read, act]\n      - name: "
            "reports\n        sha256: \"" +
            std::string(64, 'B') +
            "\"\n        dealers: [mueller]\n        scopes: read\n  metrics:\n    milter: "
            "\"127.0.0.1:9471\"\n    leadweb: \"localhost:9473\"\n",
        "sys.yaml");
    for (const auto& d : set.diagnostics)
        INFO(core::format_diagnostic(d));
    REQUIRE(set.config);
    const auto& tokens = set.config->system.web.api_tokens;
    REQUIRE(tokens.size() == 2);
    CHECK(tokens[0].all_dealers);
    CHECK(tokens[0].act);
    CHECK(tokens[1].sha256 == std::string(64, 'b'));
    CHECK(tokens[1].sees("mueller"));
    CHECK_FALSE(tokens[1].sees("nord"));
    CHECK(tokens[1].read);
    CHECK_FALSE(tokens[1].act);
    CHECK(set.config->system.metrics.milter == "127.0.0.1:9471");
    CHECK_FALSE(set.config->system.metrics.leadd);
    CHECK(set.config->system.metrics.leadweb == "localhost:9473");

    for (const auto& [lines, message] : std::vector<std::pair<std::string, std::string>>{
             {"  metrics: {leadd: \"0.0.0.0:9472\"}\n",
              "sys.yaml:4:20: error: system.metrics.leadd: \"0.0.0.0:9472\": metrics are served "
              "on loopback only (127.0.0.1, [::1] or localhost); let Prometheus scrape through a "
              "local proxy or tunnel"},
             {"  web:\n    api_tokens:\n      - {name: a, sha256: secret-token, dealers: \"*\", "
              "scopes: [read]}\n",
              "sys.yaml:6:27: error: system.web.api_tokens[0].sha256: is not 64 hex digits: put "
              "the SHA-256 of the token here, as `leadctl api-token NAME` prints it, never the "
              "token itself"},
             {"  web:\n    api_tokens:\n      - {name: a, sha256: \"" + hash +
                  "\", dealers: \"*\", scopes: [write]}\n",
              "sys.yaml:6:117: error: system.web.api_tokens[0].scopes: \"write\" is neither read "
              "nor act"}}) {
        auto bad = config::load_config_text(minimal_system + lines, "sys.yaml");
        INFO(lines);
        REQUIRE_FALSE(bad.config);
        REQUIRE(bad.diagnostics.size() >= 1);
        CHECK(core::format_diagnostic(bad.diagnostics.front()) == message);
    }
}

TEST_CASE("system.privacy and a dealer's privacy: periods, run_at, batch size, a dealer's own "
          "period over the system's, errors with file:line:column",
          "[config][privacy]") {
    auto defaults = config::load_config_text(minimal_system, "sys.yaml");
    REQUIRE(defaults.config);
    const auto& privacy = defaults.config->system.privacy;
    CHECK(privacy.periods.raw_mail == 90 * 24h);
    CHECK(privacy.periods.unassignable == 30 * 24h);
    CHECK(privacy.periods.leads == 730 * 24h);
    CHECK(privacy.periods.sent_mail == 90 * 24h);
    CHECK(privacy.run_at == 3h);
    CHECK(privacy.batch_size == 1000);

    auto every = config::load_config_file(lr::test::fixture_path("config/valid/every-key.yaml"));
    REQUIRE(every.config);
    CHECK(every.config->system.privacy.run_at == 3h + 30min);
    CHECK(every.config->system.privacy.batch_size == 500);
    const auto& dealer = every.config->dealers.front();
    const auto own = every.config->retention(dealer);
    CHECK(own.raw_mail == 60 * 24h);
    CHECK(own.leads == 365 * 24h);
    core::Dealer plain;
    CHECK(every.config->retention(plain).leads == 730 * 24h); // the system's

    for (const auto& [line, message] : std::vector<std::pair<std::string, std::string>>{
             {"  privacy: {run_at: \"25:00\"}\n",
              "sys.yaml:4:21: error: system.privacy.run_at: \"25:00\" is not a time of day "
              "(HH:MM, e.g. 03:00)"},
             {"  privacy: {leads: 0d}\n",
              "sys.yaml:4:20: error: system.privacy.leads: must be longer than 0 (e.g. 90d)"},
             {"  privacy: {forever: 1d}\n",
              "sys.yaml:4:13: error: system.privacy.forever: is not a known key"}}) {
        auto bad = config::load_config_text(minimal_system + line, "sys.yaml");
        INFO(line);
        REQUIRE_FALSE(bad.config);
        REQUIRE(bad.diagnostics.size() == 1);
        CHECK(core::format_diagnostic(bad.diagnostics.front()) == message);
    }
}

TEST_CASE("a dealer's reports and notices: the monthly mail, its recipients and day, the digest, "
          "errors with file:line:column",
          "[config][report]") {
    auto every = config::load_config_file(lr::test::fixture_path("config/valid/every-key.yaml"));
    REQUIRE(every.config);
    const auto& dealer = every.config->dealers.front();
    CHECK(dealer.reports.enabled);
    CHECK(dealer.reports.recipients == std::vector<std::string>{"a", "chef@d1.example"});
    CHECK(dealer.reports.day == 3u);
    CHECK(dealer.notice_digest);

    const std::string dealer_text = R"(dealers:
  - id: d1
    locations: [{id: main, mailbox: d1@dein.auto}]
    admin_user: a
    users: [{id: a, email: a@d1.example}]
)";
    auto defaults = config::load_config_text(minimal_system + dealer_text, "d.yaml");
    REQUIRE(defaults.config);
    CHECK_FALSE(defaults.config->dealers[0].reports.enabled);
    CHECK(defaults.config->dealers[0].reports.day == 1u);
    CHECK_FALSE(defaults.config->dealers[0].notice_digest);

    for (const auto& [line, message] : std::vector<std::pair<std::string, std::string>>{
             {"    reports: {monthly: true, day: 29}\n",
              "d.yaml:9:35: error: dealers[d1].reports.day: \"29\" is not a number from 1 to 28"},
             {"    reports: {day: first}\n",
              "d.yaml:9:20: error: dealers[d1].reports.day: \"first\" is not a number from 1 to "
              "28"},
             {"    reports: {recipients: [\"chef@\"]}\n",
              "d.yaml:9:27: error: dealers[d1].reports.recipients: \"chef@\" is not an e-mail "
              "address (name@domain.example)"},
             {"    reports: {recipients: [nobody]}\n",
              "d.yaml:9:27: error: dealers[d1].reports.recipients: unknown user \"nobody\" as "
              "report "
              "recipient"},
             {"    notices: {digest: maybe}\n",
              "d.yaml:9:23: error: dealers[d1].notices.digest: \"maybe\" is not true or false"},
             {"    notices: {bundle: true}\n",
              "d.yaml:9:15: error: dealers[d1].notices.bundle: is not a known key"}}) {
        auto bad = config::load_config_text(minimal_system + dealer_text + line, "d.yaml");
        INFO(line);
        std::string all;
        for (const auto& d : bad.diagnostics)
            all += core::format_diagnostic(d) + "\n";
        INFO(all);
        REQUIRE_FALSE(bad.config);
        std::vector<std::string> errors;
        for (const auto& d : bad.diagnostics)
            if (d.severity == core::Severity::error)
                errors.push_back(core::format_diagnostic(d));
        CHECK(errors == std::vector<std::string>{message});
    }
}
