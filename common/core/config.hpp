// The configuration model (SPEC §3, config-example.yaml): what every program
// works from. It is built once by the loader (common/config), checked
// (config_check), and then shared read-only; a reload builds a new one.
#pragma once

#include "core/diagnostic.hpp"
#include "core/form_field.hpp"
#include "core/local_time.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace date {
class time_zone;
}

namespace lr::core {

class BusinessCalendar;

enum class OnDbError { tempfail, accept };

// A source profile (lead-formats.md §3): how to recognise mail of one
// marketplace or form provider and which extra labels it writes. Added to
// the built-in profiles (mobile.de, autoscout24, website) by the sysadmin.
struct SourceProfile {
    std::string name;
    // Sender match on From or Sender: "domain.tld" matches the domain and
    // its subdomains, "local@domain" the one address. Empty: any sender.
    std::vector<std::string> senders;
    std::optional<std::string> subject_pattern;            // ECMAScript regex, case-insensitive
    std::vector<std::pair<std::string, FormField>> labels; // extra label -> field
    std::optional<std::string> kind;                       // lead | tradein
};

// What makes a mail from a user's address that user's own, so that it may
// silence a lead's reminders and escalations (issue #14). A From header
// alone proves nothing: anyone can write it.
struct ReactionProofs {
    // Sent to the per-user, per-lead reply address of a notice (Reply-To),
    // which only that user was sent, with From that user.
    bool reply_address = true;
    // Submitted through this Postfix with SASL ({auth_authen}) as that user.
    bool smtp_auth = true;
    // An Authentication-Results header of a trusted authserv-id saying
    // dmarc=pass, or dkim=pass aligned with the From domain.
    bool authentication_results = true;
    bool any() const { return reply_address || smtp_auth || authentication_results; }
};

// How leadd speaks to an SMTP server (added keys, issue #20): STARTTLS and
// SMTP AUTH. The password lives in a file, never in the YAML.
enum class SmtpTls {
    opportunistic, // STARTTLS when offered, certificate not checked (Postfix's "may")
    required,      // STARTTLS or no send; certificate and host name verified
    none           // never STARTTLS
};

struct SmtpSecurity {
    SmtpTls tls = SmtpTls::opportunistic;
    std::optional<std::string> ca_file;          // else the system's CA store
    std::optional<std::string> credentials_file; // first line "user:password"
    std::optional<std::string> client_cert;      // PEM, with client_key
    std::optional<std::string> client_key;
};

// One integration's key to leadweb's API (issue #16): the SHA-256 of its
// bearer token (never the token itself), which dealers it sees and what it
// may do.
struct ApiToken {
    std::string name;   // in the audit trail: "api:<name>"
    std::string sha256; // 64 lower-case hex digits
    bool all_dealers = false;
    std::vector<std::string> dealers; // when not all_dealers
    bool read = false;
    bool act = false;
    bool sees(const std::string& dealer_id) const;
};

// leadweb, the pages behind the links in notices (added block, issue #15).
struct WebSettings {
    std::string listen = "127.0.0.1:8026"; // host:port, loopback behind a TLS proxy
    // The address people's browsers use ("https://leads.example.de");
    // notices carry links only when it is set, and requests must name its
    // host (Host header).
    std::optional<std::string> public_url;
    std::string secret_file = "/etc/leadrouter/web.secret";
    std::chrono::seconds link_lifetime{7 * 24 * 3600};
    std::size_t max_connections = 256;
    std::chrono::seconds request_timeout{10}; // request_timeout: seconds, 1 to 300
    unsigned threads = 2;
    std::vector<ApiToken> api_tokens; // the integration API (issue #16); none: API closed
};

// How long personal data is kept (issue #17). Past its period it is
// anonymised, never the statistics: times, kinds, sources and assignees
// stay. Dealers may set their own (privacy: in the dealer's block).
struct RetentionPeriods {
    std::chrono::seconds raw_mail{90 * 24 * 3600};     // the stored mail's bytes
    std::chrono::seconds unassignable{30 * 24 * 3600}; // mail that became no lead
    std::chrono::seconds leads{730 * 24 * 3600};       // a lead without activity
    std::chrono::seconds sent_mail{90 * 24 * 3600};    // sent outbox mail's bytes
};

// leadd's daily retention pass (system.privacy).
struct PrivacySettings {
    RetentionPeriods periods;
    std::chrono::minutes run_at{3 * 60}; // local time of the server, "03:00"
    int batch_size = 1000;               // rows per statement and transaction
};

// Where each process serves its Prometheus metrics (issue #16): a loopback
// host:port each, absent = off.
struct MetricsSettings {
    std::optional<std::string> milter;
    std::optional<std::string> leadd;
    std::optional<std::string> leadweb;
};

struct SystemConfig {
    std::string database;      // libpq conninfo
    std::string milter_socket; // libmilter connection spec
    // The user leadmilter becomes once its socket exists when started as
    // root (like OpenDKIM's UserID; added key, issue #14).
    std::optional<std::string> milter_user;
    // At most this many database connections, and this many messages
    // classified and stored at once; a message that waits 10 s for either
    // gets 451 and is retried by its sender (added keys, issue #14).
    std::size_t milter_max_connections = 20;
    std::size_t milter_max_messages = 32;
    // Named server-side prepared statements for the milter's store; false
    // behind a PgBouncer older than 1.21 in transaction pooling, which
    // cannot keep them (added key, issue #20).
    bool milter_prepared_statements = true;
    // Authentication-Results headers with these authserv-ids are the front
    // milters' (OpenDKIM, OpenDMARC) when they head the message; the same
    // ids further down came from outside and are removed (added, #14).
    std::vector<std::string> trusted_authserv_ids;
    ReactionProofs reaction_proofs; // dealers may override (added, #14)
    OnDbError on_db_error = OnDbError::tempfail;
    // Messages above this size are refused with 552 (issue #3).
    std::uint64_t max_message_size = 50ull * 1024 * 1024;
    std::string smtp_server; // host:port leadd sends to
    SmtpSecurity smtp_security;
    // A mail still refused with 4xx this long after it was queued is given
    // up (failed, the dealer's admin user told), like Postfix's
    // maximal_queue_lifetime (issue #13).
    std::chrono::seconds max_queue_lifetime{5 * 24 * 3600};
    std::string automanager_url;
    std::optional<std::string> dealers_dir;
    // Exposé PDFs named by the inventory must lie inside this directory
    // (issue #14); relative to the system file when relative. Added key.
    std::string expose_dir = "/var/lib/leadrouter/exposes";
    // How long a notice's reply commands work after the last notice that
    // named its reply address (issue #15). Added key.
    std::chrono::seconds action_lifetime{7 * 24 * 3600};
    std::vector<SourceProfile> source_profiles; // in config order, before the built-ins
    WebSettings web;
    MetricsSettings metrics;
    PrivacySettings privacy;
};

struct Location {
    std::string id;
    std::string mailbox; // canonical (lower case)
    std::optional<std::string> forward_to;
};

// Holidays and company vacation (Feiertage und Betriebsferien); a single
// date has from == to. Both ends are included.
struct Holiday {
    date::year_month_day from;
    date::year_month_day to;
    std::string name;
};

struct Escalation {
    std::chrono::seconds level1{2 * 3600};  // Eskalationsstufe 1, working time
    std::chrono::seconds reminder{30 * 60}; // Erinnerung VK, before level 1
    std::chrono::seconds level2{4 * 3600};  // Eskalationsstufe 2, after level 1
    std::chrono::seconds level2_resubmission{24 * 3600};
};

// The monthly report mail (issue #18): sent by leadd on `day` of each
// month, from the first opening on, about the month before.
struct MonthlyReports {
    bool enabled = false;
    // User ids or addresses; empty: every supervisor and the admin user.
    std::vector<std::string> recipients;
    unsigned day = 1; // 1–28, so every month has it
};

struct Pool {
    bool enabled = false;
    std::string user;
    bool oldest_only = false;
    bool notify_members = false;
};

// A group's match: every listed criterion must fit; a criterion lists the
// values any of which fits. An empty criterion matches everything.
struct GroupMatch {
    std::vector<std::string> locations;
    std::vector<std::string> conditions; // new | used
    std::vector<std::string> makes;      // compared case-insensitively
    std::vector<std::string> sources;
    std::vector<std::string> kinds; // lead | tradein
};

struct Group {
    std::string id;
    GroupMatch match;
    std::vector<std::string> members;
};

struct User {
    std::string id;
    std::string name;
    std::string email;
    std::optional<std::string> location;
    bool receives_leads = false; // erhält Anfragen
    bool assignable = false;     // kann Anfragen zugewiesen bekommen
    std::optional<std::string> supervisor;
    std::optional<std::string> substitute;
    // The SASL login that proves a submission is this user's; the e-mail
    // address when not set (added key, issue #14).
    std::optional<std::string> smtp_login;
};

// Working intervals per weekday, index 0 = Monday .. 5 = Saturday. Sunday
// never has working time (SPEC §7), so it has no slot.
using WeekHours = std::array<std::vector<WorkInterval>, 6>;

struct Dealer {
    std::string id; // Kürzel
    std::string name;
    std::string timezone_name = "Europe/Berlin";
    const date::time_zone* timezone = nullptr;
    std::vector<Location> locations;
    std::string expose = "standard";
    WeekHours working_hours;
    std::vector<Holiday> holidays;
    std::optional<std::string> public_holidays; // DE, DE-HH, ... (core/public_holidays)
    Escalation escalation;
    std::string from_name;
    bool distribute_existing_contacts = false;
    std::optional<std::string> trade_in_cc;
    std::optional<std::string> fallback_user;
    std::string admin_user;
    std::optional<std::string> unassigned_notify;
    std::optional<std::string> mail_server;
    // How to speak to mail_server; never the system's credentials.
    SmtpSecurity mail_server_security;
    bool send_external_mail = true;
    bool lead_tracking = false;
    bool resubmission_respects_hours = true;
    bool use_vehicle_location_rules = false;
    std::optional<ReactionProofs> reaction_proofs; // else the system's
    // A dealer's own retention periods, each else the system's (issue #17).
    std::optional<std::chrono::seconds> retain_raw_mail, retain_unassignable, retain_leads,
        retain_sent_mail;
    MonthlyReports reports;
    // Info mails held for the opening go to a user as one digest when
    // there are several (issue #18).
    bool notice_digest = false;
    Pool pool;
    std::vector<Group> groups;
    std::vector<User> users;
    // Built by the loader once the dealer is valid (core/calendar.hpp).
    std::shared_ptr<const BusinessCalendar> calendar;

    const User* find_user(std::string_view user_id) const;
    const Location* find_location(std::string_view location_id) const;
    bool has_working_time() const;
};

// Where each key was written, by key path ("dealers[mueller].users[weber]").
class SourceMap {
public:
    void add(std::string key, SourcePos pos);
    // The position of the key, else of its nearest enclosing key.
    SourcePos find(std::string_view key) const;

    // Every key path a reader looked up, written or not: what the loader
    // understands (leadrouter.yaml(5) is tested against it).
    void ask(std::string key) { m_asked.insert(std::move(key)); }
    const std::set<std::string>& asked_keys() const { return m_asked; }

private:
    std::map<std::string, SourcePos, std::less<>> m_positions;
    std::set<std::string> m_asked;
};

struct Config {
    SystemConfig system;
    std::vector<Dealer> dealers;
    SourceMap sources;

    const Dealer* find_dealer(std::string_view dealer_id) const;
    // Every configured dealer's id, in configuration order.
    std::vector<std::string> dealer_ids() const;
    // The dealer's own proofs, else the system's.
    const ReactionProofs& reaction_proofs(const Dealer& dealer) const;
    RetentionPeriods retention(const Dealer& dealer) const;
};

std::string dealer_key(const Dealer& dealer);

} // namespace lr::core
