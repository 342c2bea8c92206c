#include "daemon.hpp"

#include "assigner.hpp"
#include "config/loader.hpp"
#include "database.hpp"
#include "http/metrics_endpoint.hpp"
#include "leadd_metrics.hpp"
#include "log/log.hpp"
#include "monthly_reports.hpp"
#include "outbox_sender.hpp"
#include "retention.hpp"
#include "scheduler.hpp"
#include "service_notify.hpp"
#include "store/channels.hpp"
#include "store/dealer_store.hpp"
#include "store/recompute_run.hpp"
#include "util/args.hpp"

#include <csignal>
#include <cstdlib>
#include <map>
#include <ostream>
#include <unistd.h>

namespace lr::daemon {

namespace {

const std::vector<util::OptionSpec> options = {
    {"config", true,
     "configuration file (default: $LEADROUTER_CONFIG or "
     "/etc/leadrouter/leadrouter.yaml)",
     "FILE"},
    {"database", true, "libpq conninfo instead of system.database", "CONNINFO"},
    {"batch-size", true, "leads per assignment transaction (default 500)", "N"},
    {"once", false,
     "assign what is waiting, fire what is due, send the outbox, then exit (batch jobs, "
     "benchmarks)"},
    {"clock-offset", true, "run the clock this many seconds ahead of the database's (tests)",
     "SECONDS"},
    {"local-clock-error", true,
     "pretend this host's clock is this many seconds off; leadd must still use the database's "
     "(tests)",
     "SECONDS"},
    {"poll-interval", true,
     "look for work this often even without a notification (default 60; tests set it long to "
     "prove that notifications arrive)",
     "SECONDS"},
    {"check-config", false, "validate the configuration and exit"},
    {"help", false, "show this help"}};

class Daemon {
public:
    Daemon(std::string config_path, std::shared_ptr<const core::Config> config,
           std::string conninfo, bool conninfo_from_config, int batch_size, bool once, Clock clock,
           std::chrono::seconds poll_interval)
        : m_config_path(std::move(config_path)), m_config(std::move(config)),
          m_conninfo_from_config(conninfo_from_config), m_once(once), m_clock(clock),
          m_poll_interval(poll_interval), m_base(event_base_new()),
          m_database(m_base.get(), std::move(conninfo), m_clock, database_handlers()),
          m_assigner(
              m_base.get(), [this] { return m_config; }, m_clock, batch_size, actor()),
          m_scheduler(
              m_base.get(), [this] { return m_config; }, m_clock, batch_size),
          m_sender(
              m_base.get(), [this] { return m_config; }, m_clock, batch_size, actor()),
          m_retention(
              m_base.get(), [this] { return m_config; }, m_clock),
          m_reports(
              m_base.get(), [this] { return m_config; }, m_clock) {
        m_assigner.on_idle([this] {
            if (m_stopping)
                return exit_when_idle();
            // New chains may be due before the timer: look again.
            if (m_once)
                m_scheduler.kick();
            else
                m_scheduler.rearm();
        });
        m_scheduler.on_idle([this] {
            if (m_stopping)
                return exit_when_idle();
            m_sender.kick(); // what the pass queued goes out now
        });
        m_sender.on_idle([this] {
            if (m_once || m_stopping)
                exit_when_idle();
        });
        auto fail_once = [this](const Error&) {
            if (m_once) { // a batch job reports the failure instead of retrying
                m_failed = true;
                event_base_loopexit(m_base.get(), nullptr);
            }
        };
        m_assigner.on_failure(fail_once);
        m_scheduler.on_failure(fail_once);
        m_sender.on_failure(fail_once);
        m_retention.on_idle([this] {
            if (m_stopping)
                exit_when_idle();
        });
        m_reports.on_idle([this] {
            if (m_stopping)
                exit_when_idle();
            else
                m_sender.kick(); // the report goes out now when the dealer is open
        });
        add_signal(SIGTERM, &Daemon::on_stop);
        add_signal(SIGINT, &Daemon::on_stop);
        add_signal(SIGHUP, &Daemon::on_reload);
        m_poll.reset(event_new(m_base.get(), -1, EV_PERSIST, &Daemon::on_poll, this));
    }

    int run() {
        m_database.start();
        // A safety net for a NOTIFY lost while reconnecting, and the
        // database's clock measured again (every minute unless a test says).
        timeval interval{static_cast<time_t>(m_poll_interval.count()), 0};
        event_add(m_poll.get(), &interval);
        // Ready once the loop runs: a database that is down is retried
        // (and shown in STATUS), not a failed start; connecting never
        // blocks the loop, so the watchdog keeps being fed.
        m_notify.ready("connecting to the database");
        event_base_dispatch(m_base.get());
        log::info("stopped", {{"ASSIGNED", std::to_string(m_assigner.total_assigned())},
                              {"QUEUED", std::to_string(m_scheduler.total_sent())},
                              {"SENT", std::to_string(m_sender.total_sent())}});
        return 0;
    }

private:
    // This daemon in the audit trail and on its outbox leases.
    static std::string actor() {
        char name[256] = {};
        gethostname(name, sizeof name - 1);
        return std::string("leadd@") + name + ":" + std::to_string(getpid());
    }

    void exit_when_idle() {
        if (!m_assigner.running() && !m_scheduler.running() && !m_sender.running() &&
            !m_retention.running() && !m_reports.running())
            event_base_loopexit(m_base.get(), nullptr);
    }

    void add_signal(int number, event_callback_fn handler) {
        m_signals.emplace_back(evsignal_new(m_base.get(), number, handler, this));
        event_add(m_signals.back().get(), nullptr);
    }

    Database::Handlers database_handlers() {
        return {[this](AsyncConnection* connection) {
                    m_connection = connection;
                    m_assigner.set_connection(connection);
                    m_scheduler.set_connection(connection);
                    m_sender.set_connection(connection);
                    m_retention.set_connection(connection);
                    m_reports.set_connection(connection);
                    m_notify.status(connection ? "listening for new leads"
                                               : "database unreachable, retrying");
                },
                [this] { // everything that arrived or came due while we were away
                    if (m_first_catch_up || m_reported_while_away) {
                        report_unconfigured_dealers();
                        m_first_catch_up = m_reported_while_away = false;
                    }
                    m_scheduler.recompute({}); // what a reload asked for while we were away
                    m_assigner.kick();
                    if (!m_once) {
                        m_scheduler.rearm();
                        m_sender.reclaim_dead_leases(); // and then a pass
                        m_retention.maybe_start();
                        m_reports.maybe_start();
                    }
                },
                [this](const std::string& channel) {
                    if (channel == store::channel::schedule)
                        m_scheduler.rearm();
                    else if (channel == store::channel::outbox)
                        m_sender.kick();
                    else
                        m_assigner.kick();
                },
                [this](const Error&) {
                    if (m_once) { // a batch job reports the failure instead of retrying
                        m_failed = true;
                        m_database.stop();
                        event_base_loopexit(m_base.get(), nullptr);
                    }
                }};
    }

    static void on_poll(evutil_socket_t, short, void* self) noexcept {
        auto* daemon = static_cast<Daemon*>(self);
        daemon->m_database.measure_clock();
        daemon->m_scheduler.recompute({}); // owed since a reload while the database was away
        daemon->m_assigner.kick();
        daemon->m_scheduler.rearm();
        daemon->m_sender.kick(); // retries whose time has come
        if (!daemon->m_once) {
            daemon->m_retention.maybe_start();
            daemon->m_reports.maybe_start();
        }
    }

    static void on_stop(evutil_socket_t, short, void* self) noexcept {
        auto* daemon = static_cast<Daemon*>(self);
        log::info("stopping after the current batch");
        daemon->m_notify.stopping();
        daemon->m_stopping = true;
        daemon->m_database.stop();
        daemon->m_assigner.stop();
        daemon->m_scheduler.stop();
        daemon->m_sender.stop(); // sends in flight finish and are recorded
        daemon->m_retention.stop();
        daemon->m_reports.stop();
        daemon->exit_when_idle();
    }

    static void on_reload(evutil_socket_t, short, void* self) noexcept {
        static_cast<Daemon*>(self)->reload();
    }

    void reload() {
        m_notify.reloading();
        auto loaded = config::load_config_file(m_config_path);
        if (!loaded.config) {
            for (const auto& d : loaded.diagnostics)
                if (d.severity == core::Severity::error)
                    log::error(core::format_diagnostic(d));
            log::error("configuration reload rejected; still running on the previous one",
                       {{"CONFIG", m_config_path}});
            m_notify.ready("configuration reload rejected, running on the previous one");
            return;
        }
        // A dealer that comes back is compared with the configuration it
        // was last seen in: its events wait with their old times meanwhile.
        core::Config before = *m_config;
        for (const auto& [id, dealer] : m_missing_dealers)
            if (!before.find_dealer(id))
                before.dealers.push_back(dealer);
        auto changed = store::dealers_with_changed_schedule(before, *loaded.config);
        for (const auto& dealer : m_config->dealers)
            if (!loaded.config->find_dealer(dealer.id))
                m_missing_dealers.insert_or_assign(dealer.id, dealer);
        for (const auto& dealer : loaded.config->dealers)
            m_missing_dealers.erase(dealer.id);
        // Batches in flight keep the snapshot they started with.
        m_config = loaded.config;
        log::info("configuration reloaded", {{"CONFIG", m_config_path}});
        if (m_conninfo_from_config)
            m_database.change_conninfo(m_config->system.database);
        m_scheduler.recompute(changed);
        report_unconfigured_dealers();
        m_assigner.kick();
        m_scheduler.rearm();
        m_sender.kick();
        m_notify.ready("configuration reloaded");
    }

    // Dealers with work in the database but no configuration: their work
    // waits untouched (issue #13); the operator hears of it at each reload.
    void report_unconfigured_dealers() {
        if (!m_connection) {
            m_reported_while_away = true; // at the catch-up
            return;
        }
        m_connection->run_statement(
            store::unconfigured_work(m_config->dealer_ids()), [](Result<store::Rows> rows) {
                if (!rows) {
                    log::error("counting the work of unconfigured dealers: " +
                               rows.error().message);
                    return;
                }
                for (const auto& work : store::read_dealer_work(*rows))
                    log::warning("dealer is not configured; its leads, events and mails wait "
                                 "until it is configured again or retired (leadctl dealer retire)",
                                 {{"DEALER", work.dealer_id},
                                  {"NEW_LEADS", std::to_string(work.new_leads)},
                                  {"OPEN_LEADS", std::to_string(work.open_leads)},
                                  {"PENDING_EVENTS", std::to_string(work.pending_events)},
                                  {"QUEUED_MAILS", std::to_string(work.queued_mails)}});
            });
    }

public:
    bool failed() const { return m_failed; }

private:
    std::string m_config_path;
    std::shared_ptr<const core::Config> m_config;
    bool m_conninfo_from_config;
    bool m_once;
    bool m_stopping = false;
    bool m_failed = false;
    Clock m_clock;
    std::chrono::seconds m_poll_interval; // the safety net for a lost notification
    EventBase m_base;
    ServiceNotify m_notify{m_base.get()};
    std::vector<Event> m_signals;
    Event m_poll;
    std::map<std::string, core::Dealer> m_missing_dealers; // as last configured
    AsyncConnection* m_connection = nullptr;               // owned by m_database
    bool m_first_catch_up = true;
    bool m_reported_while_away = false;
    Database m_database;
    Assigner m_assigner;
    Scheduler m_scheduler;
    OutboxSender m_sender;
    Retention m_retention;
    MonthlyReports m_reports;
};

} // namespace

int run_leadd(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    auto program = util::parse_program_args("leadd", "leadd [OPTIONS]", args, options, out, err);
    if (!program.parsed)
        return program.exit_status;
    const auto* parsed = &*program.parsed;
    log::set_program("leadd");
    const std::string path = config::config_path(parsed->value("config"));
    auto loaded = config::load_config_file(path);
    for (const auto& diagnostic : loaded.diagnostics)
        err << core::format_diagnostic(diagnostic) << "\n";
    if (!loaded.config) {
        err << "leadd: " << path << ": configuration rejected\n";
        return 1;
    }
    if (parsed->has("check-config")) {
        out << "configuration OK\n";
        return 0;
    }
    int batch_size = 500;
    long long offset = 0;
    long long local_error = 0;
    long long poll_interval = 60;
    try {
        batch_size = std::stoi(parsed->value("batch-size").value_or("500"));
        offset = std::stoll(parsed->value("clock-offset").value_or("0"));
        local_error = std::stoll(parsed->value("local-clock-error").value_or("0"));
        poll_interval = std::stoll(parsed->value("poll-interval").value_or("60"));
    } catch (const std::exception&) {
        err << "leadd: --batch-size, --clock-offset, --local-clock-error and --poll-interval take "
               "whole numbers\n";
        return 2;
    }
    if (batch_size < 1 || poll_interval < 1) {
        err << "leadd: --batch-size and --poll-interval must be at least 1\n";
        return 2;
    }
    const bool conninfo_from_config = !parsed->has("database");
    std::string conninfo = parsed->value("database").value_or(loaded.config->system.database);
    store::set_notice_handler([](const std::string& severity, const std::string& message) {
        log::error("database " + severity + ": " + message);
    });
    std::signal(SIGPIPE, SIG_IGN);
    // A batch run (--once) serves no metrics: nobody would scrape it.
    std::unique_ptr<http::HttpServer> metrics_endpoint;
    if (!parsed->has("once")) {
        metrics::declare();
        auto served = http::serve_metrics(loaded.config->system.metrics.leadd);
        if (!served) {
            err << "leadd: " << served.error().message << "\n";
            return 1;
        }
        metrics_endpoint = std::move(*served);
    }
    Daemon daemon(path, loaded.config, conninfo, conninfo_from_config, batch_size,
                  parsed->has("once"),
                  Clock(std::chrono::seconds{offset}, std::chrono::seconds{local_error}),
                  std::chrono::seconds{poll_interval});
    int rc = daemon.run();
    return rc != 0 || daemon.failed() ? 1 : 0;
}

} // namespace lr::daemon
