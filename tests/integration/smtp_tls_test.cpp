// Outbound SMTP to a real server (issue #20, item 3): a private Postfix
// with a certificate from a private CA (openssl) that relays only after
// SASL AUTH (Cyrus sasldb, AUTH only after STARTTLS). The right CA, host
// name and password deliver; a wrong CA, a wrong host name, a wrong
// password or an unusable credentials file each leave the mail queued with
// a clear error, and the password is never written to the log.
#include "config/loader.hpp"
#include "example_config.hpp"
#include "lead_seed.hpp"
#include "outbox_mail.hpp"
#include "postfix_instance.hpp"
#include "process.hpp"
#include "smtp_credentials.hpp"
#include "smtp_sink.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>

using namespace lr;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

const std::string password = "Sommer-2026!geheim";

void run_or_throw(const std::vector<std::string>& argv, const std::string& log) {
    if (test::run_program(argv, log) != 0)
        throw std::runtime_error(argv.front() + " failed: " + test::read_text_file(log));
}

// A CA, a second CA nobody trusts, and a server certificate for
// "localhost" only (so 127.0.0.1 is the wrong host name).
struct PrivatePki {
    fs::path dir = fs::temp_directory_path() / ("leadrouter-pki-" + std::to_string(getpid()));
    std::string ca() const { return (dir / "ca.crt").string(); }
    std::string other_ca() const { return (dir / "other-ca.crt").string(); }
    std::string cert() const { return (dir / "server.crt").string(); }
    std::string key() const { return (dir / "server.key").string(); }

    PrivatePki() {
        fs::remove_all(dir);
        fs::create_directories(dir);
        const std::string log = (dir / "openssl.log").string();
        auto d = [&](const char* name) { return (dir / name).string(); };
        for (const char* name : {"ca", "other-ca"})
            run_or_throw({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                          "-subj", std::string("/CN=leadrouter test ") + name, "-keyout",
                          d((std::string(name) + ".key").c_str()), "-out",
                          d((std::string(name) + ".crt").c_str())},
                         log);
        run_or_throw({"openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
                      "-keyout", key(), "-out", d("server.csr")},
                     log);
        std::ofstream(d("san.ext")) << "subjectAltName = DNS:localhost\n";
        run_or_throw({"openssl", "x509", "-req", "-in", d("server.csr"), "-CA", ca(), "-CAkey",
                      d("ca.key"), "-CAcreateserial", "-days", "2", "-extfile", d("san.ext"),
                      "-out", cert()},
                     log);
        fs::permissions(dir, fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
        fs::permissions(key(), fs::perms::owner_read | fs::perms::group_read |
                                   fs::perms::others_read); // postfix reads it
    }
    ~PrivatePki() { fs::remove_all(dir); }
};

// Cyrus SASL for the private Postfix: one user in a sasldb of its own.
struct SaslDatabase {
    fs::path dir = fs::temp_directory_path() / ("leadrouter-sasl-" + std::to_string(getpid()));
    SaslDatabase() {
        fs::remove_all(dir);
        fs::create_directories(dir);
        const std::string db = (dir / "sasldb2").string();
        std::ofstream(dir / "smtpd.conf") << "pwcheck_method: auxprop\nauxprop_plugin: sasldb\n"
                                          << "mech_list: PLAIN LOGIN\nsasldb_path: " << db << "\n";
        const std::string log = (dir / "saslpasswd2.log").string();
        run_or_throw(
            {"/bin/sh", "-c",
             "printf '%s' \"$0\" | saslpasswd2 -p -c -f \"$1\" -u mx.leadrouter.test sales",
             password, db},
            log);
        run_or_throw({"chown", "-R", "postfix", dir.string()}, log);
        fs::permissions(dir, fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
    }
    ~SaslDatabase() { fs::remove_all(dir); }
};

struct TlsAuthServer {
    PrivatePki pki;
    SaslDatabase sasl;
    test::SmtpSink sink;
    test::PostfixInstance postfix{{.name = "mx",
                                   .relay = sink.address(),
                                   .milters = "",
                                   .extra_settings = {
                                       "smtpd_tls_security_level = may",
                                       "smtpd_tls_cert_file = " + pki.cert(),
                                       "smtpd_tls_key_file = " + pki.key(),
                                       "smtpd_sasl_auth_enable = yes",
                                       "smtpd_tls_auth_only = yes",
                                       "smtpd_sasl_type = cyrus",
                                       "smtpd_sasl_path = smtpd",

                                       "smtpd_sasl_local_domain = mx.leadrouter.test",
                                       "smtpd_relay_restrictions = permit_sasl_authenticated, "
                                       "reject",
                                   }}};
    // Debian's Postfix reads the Cyrus configuration from
    // $config_directory/sasl/ (cyrus_sasl_config_path is not honoured), and
    // each new smtpd reads it, so it may come after the start.
    TlsAuthServer() {
        fs::create_directories(postfix.directory() + "/etc/sasl");
        fs::copy_file(sasl.dir / "smtpd.conf", postfix.directory() + "/etc/sasl/smtpd.conf");
    }
    std::string at(const std::string& host) const {
        return host + ":" + std::to_string(postfix.smtp_port());
    }
};

fs::path credentials_file(const std::string& secret,
                          fs::perms mode = fs::perms::owner_read | fs::perms::owner_write) {
    static int serial = 0;
    auto path = fs::temp_directory_path() / ("leadrouter-credentials-" + std::to_string(getpid()) +
                                             "-" + std::to_string(++serial));
    std::ofstream(path) << "sales:" << secret << "\n";
    fs::permissions(path, mode);
    return path;
}

// The example configuration sending to server with the given smtp lines.
std::string config_with(const std::string& server, const std::string& smtp_lines) {
    return test::write_example_config(
        {{"server: \"127.0.0.1:25\"", "server: \"" + server + "\"\n" + smtp_lines}});
}

struct Run {
    std::string state;
    std::string last_error;
    std::string log;
};

// A reminder to schmidt about a new lead, due now; its outbox id.
long long queue_reminder(const test::TestDatabase& db, const std::string& tag) {
    auto lead = test::add_lead(
        db, {.email = "kunde@example.org", .state = "assigned", .assignee = "schmidt"});
    return db
        .exec("INSERT INTO outbox (dealer_id, lead_id, kind, message_id, mail_from, recipients, "
              "payload, not_before) VALUES ('mueller', $1::bigint, 'reminder', $2, "
              "'mueller@dein.auto', '{a.schmidt@autohaus-mueller.example}', "
              "jsonb_build_object('due', now()), now() - interval '1 minute') RETURNING id",
              {std::to_string(lead), "<leadrouter.tls." + tag + "@dein.auto>"})
        .integer(0, 0);
}

Run send_one(const test::TestDatabase& db, const std::string& config) {
    static int serial = 0;
    auto id = queue_reminder(db, "once-" + std::to_string(++serial));
    const std::string log = "/tmp/leadd-tls-" + std::to_string(getpid()) + ".log";
    fs::remove(log);
    test::run_program({LEADD_BINARY, "--config", config, "--database", db.conninfo(), "--once"},
                      log);
    auto row = db.exec("SELECT state, coalesce(last_error, '') FROM outbox WHERE id = $1",
                       {std::to_string(id)});
    return {row.text(0, 0), row.text(0, 1), test::read_text_file(log)};
}

} // namespace

TEST_CASE("STARTTLS required with the private CA and SMTP AUTH: the right settings deliver, a "
          "wrong CA, host name, password or credentials file keep the mail queued with a clear "
          "error, the password is never logged",
          "[outbox][tls]") {
    TlsAuthServer server;
    test::TestDatabase db;
    auto good = credentials_file(password);
    auto wrong = credentials_file("falsch");
    auto readable = credentials_file(password, fs::perms::owner_read | fs::perms::owner_write |
                                                   fs::perms::others_read);
    auto settings = [&](const std::string& ca, const fs::path& credentials) {
        return "    tls: required\n    ca_file: \"" + ca + "\"\n    credentials_file: \"" +
               credentials.string() + "\"";
    };

    SECTION("the right CA, host name and password deliver") {
        auto run =
            send_one(db, config_with(server.at("localhost"), settings(server.pki.ca(), good)));
        INFO(run.log << test::read_text_file(server.postfix.maillog()));
        CHECK(run.state == "sent");
        CHECK(test::eventually([&] { return server.sink.messages().size() == 1; }, 20s));
        CHECK(test::read_text_file(server.postfix.maillog()).find("sasl_username=sales") !=
              std::string::npos);
        CHECK(run.log.find(password) == std::string::npos);
    }
    SECTION("leadd in daemon mode, as it runs: delivers, and a new password in the file is "
            "used without a reload") {
        auto changing = credentials_file("falsch");
        const auto config =
            config_with(server.at("localhost"), settings(server.pki.ca(), changing));
        const std::string log = "/tmp/leadd-tls-daemon-" + std::to_string(getpid()) + ".log";
        fs::remove(log);
        test::ChildProcess daemon({LEADD_BINARY, "--config", config, "--database", db.conninfo()},
                                  log);
        auto state = [&](long long id) {
            return db
                .exec("SELECT state || '|' || coalesce(last_error, '') FROM outbox WHERE id "
                      "= $1",
                      {std::to_string(id)})
                .text(0, 0);
        };
        auto refused = queue_reminder(db, "daemon-1");
        db.exec("NOTIFY leadrouter_outbox");
        CHECK(test::eventually([&] { return state(refused).rfind("queued|535", 0) == 0; }, 30s));
        { std::ofstream(changing, std::ios::trunc) << "sales:" << password << "\n"; }
        auto delivered = queue_reminder(db, "daemon-2");
        db.exec("NOTIFY leadrouter_outbox");
        CHECK(test::eventually([&] { return state(delivered) == "sent|"; }, 30s));
        daemon.signal(SIGTERM);
        CHECK(daemon.wait(30s) == 0);
        CHECK(test::read_text_file(log).find(password) == std::string::npos);
        fs::remove(changing);
    }
    SECTION("a certificate of a CA not named in ca_file") {
        auto run = send_one(
            db, config_with(server.at("localhost"), settings(server.pki.other_ca(), good)));
        CHECK(run.state == "queued");
        CHECK_THAT(run.last_error, Catch::Contains("certificate"));
        CHECK(server.sink.messages().empty());
    }
    SECTION("a host name the certificate does not name") {
        auto run =
            send_one(db, config_with(server.at("127.0.0.1"), settings(server.pki.ca(), good)));
        CHECK(run.state == "queued");
        CHECK_THAT(run.last_error, Catch::Contains("127.0.0.1"));
        CHECK(server.sink.messages().empty());
    }
    SECTION("a wrong password: queued (fixable), not given up") {
        auto run =
            send_one(db, config_with(server.at("localhost"), settings(server.pki.ca(), wrong)));
        CHECK(run.state == "queued");
        CHECK_THAT(run.last_error, Catch::Contains("535"));
        CHECK(run.log.find("falsch") == std::string::npos);
        CHECK(server.sink.messages().empty());
    }
    SECTION("a credentials file every user may read is not used") {
        auto run =
            send_one(db, config_with(server.at("localhost"), settings(server.pki.ca(), readable)));
        CHECK(run.state == "queued");
        CHECK_THAT(run.last_error, Catch::Contains("readable by every user"));
        CHECK(run.log.find(password) == std::string::npos);
    }
    SECTION("without AUTH the server relays nothing (so AUTH is what delivered above)") {
        auto run =
            send_one(db, config_with(server.at("localhost"), "    tls: required\n    ca_file: \"" +
                                                                 server.pki.ca() + "\""));
        CHECK(run.state == "failed");
        CHECK_THAT(run.last_error, Catch::Contains("554"));
    }
    for (const auto& file : {good, wrong, readable})
        fs::remove(file);
}

TEST_CASE("a credentials file: the first line user:password, refused when others may read it, "
          "when it is no regular file or has no colon",
          "[outbox][tls]") {
    auto ok = credentials_file("pa:ss:word");
    auto read = daemon::read_smtp_credentials(ok.string());
    REQUIRE(read);
    CHECK(read->username == "sales");
    CHECK(read->password == "pa:ss:word");
    auto open = credentials_file("x", fs::perms::owner_read | fs::perms::others_read);
    CHECK_THAT(daemon::read_smtp_credentials(open.string()).error().message,
               Catch::Contains("readable by every user"));
    CHECK_THAT(daemon::read_smtp_credentials("/tmp").error().message,
               Catch::Contains("not a regular file"));
    auto bare = credentials_file("");
    { std::ofstream(bare) << "only-a-name\n"; }
    CHECK_THAT(daemon::read_smtp_credentials(bare.string()).error().message,
               Catch::Contains("user:password"));
    auto link =
        fs::temp_directory_path() / ("leadrouter-credentials-link-" + std::to_string(getpid()));
    fs::remove(link);
    fs::create_symlink(ok, link);
    CHECK_THAT(daemon::read_smtp_credentials(link.string()).error().message,
               Catch::Contains("credentials_file"));
    for (const auto& file : {ok, open, bare, link})
        fs::remove(file);
}

TEST_CASE("a dealer's own mail_server gets its own settings, never the system's credentials",
          "[outbox][tls]") {
    auto system_secret = credentials_file("system-secret");
    auto config = test::write_example_config(
        {{"server: \"127.0.0.1:25\"", "server: \"relay.example:587\"\n    tls: required\n"
                                      "    credentials_file: \"" +
                                          system_secret.string() + "\""},
         {"mail_server: null", "mail_server: {server: \"mx.autohaus-mueller.example:25\", "
                               "tls: none}"}});
    auto loaded = config::load_config_file(config);
    for (const auto& d : loaded.diagnostics)
        INFO(core::format_diagnostic(d));
    REQUIRE(loaded.config);
    store::OutboxMail row;
    row.dealer_id = "mueller";
    row.kind = "reminder";
    row.mail_from = "mueller@dein.auto";
    row.recipients = {"a.schmidt@autohaus-mueller.example"};
    row.content = "Subject: x\r\n\r\nx\r\n";
    auto prepared = daemon::prepare_mail(*loaded.config, row, core::Instant{});
    REQUIRE(prepared);
    CHECK(prepared->job.server == "mx.autohaus-mueller.example:25");
    CHECK(prepared->job.security.tls == core::SmtpTls::none);
    CHECK_FALSE(prepared->job.security.credentials_file.has_value());
    fs::remove(system_secret);
}
