#include "milter.hpp"

#include "config/loader.hpp"
#include "config/readers.hpp"
#include "filter.hpp"
#include "http/metrics_endpoint.hpp"
#include "log/log.hpp"
#include "milter_metrics.hpp"
#include "util/args.hpp"

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <grp.h>
#include <libmilter/mfapi.h>
#include <ostream>
#include <pthread.h>
#include <pwd.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <thread>
#include <unistd.h>

namespace lr::milter {

namespace {

// SIGUSR1 reloads (SPEC §3; libmilter stops on SIGHUP); SIGUSR2 ends this
// thread at shutdown. Both stay blocked everywhere else.
class ReloadThread {
public:
    ReloadThread(std::string path, RuntimeHolder& holder, store::ConnectionPool& pool,
                 std::optional<std::string> database)
        : m_path(std::move(path)), m_holder(holder), m_pool(pool), m_database(std::move(database)),
          m_thread([this] { run(); }) {}
    ~ReloadThread() {
        pthread_kill(m_thread.native_handle(), SIGUSR2);
        m_thread.join();
    }

private:
    void run() {
        sigset_t signals;
        sigemptyset(&signals);
        sigaddset(&signals, SIGUSR1);
        sigaddset(&signals, SIGUSR2);
        for (;;) {
            int signal = 0;
            if (sigwait(&signals, &signal) != 0 || signal == SIGUSR2)
                return;
            reload();
        }
    }
    void reload() {
        sd_notify(0, "RELOADING=1\nSTATUS=reloading the configuration");
        auto runtime = load_runtime(m_path);
        if (runtime) {
            m_pool.set_conninfo(m_database.value_or((*runtime)->config->system.database));
            m_holder.replace(*runtime);
            log::info("configuration reloaded", {{"CONFIG", m_path}});
        } else {
            log::error("configuration rejected; still running on the previous one",
                       {{"CONFIG", m_path}, {"ERROR", runtime.error().message}});
        }
        sd_notify(0, "READY=1\nSTATUS=filtering");
    }

    std::string m_path;
    RuntimeHolder& m_holder;
    store::ConnectionPool& m_pool;
    std::optional<std::string> m_database;
    std::thread m_thread;
};

// WATCHDOG=1 at half of WatchdogSec, from a thread of the milter.
class WatchdogThread {
public:
    WatchdogThread() {
        uint64_t usec = 0;
        if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0)
            m_thread = std::thread([this, usec] { run(std::chrono::microseconds(usec / 2)); });
    }
    ~WatchdogThread() {
        {
            std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_wake.notify_all();
        if (m_thread.joinable())
            m_thread.join();
    }

private:
    void run(std::chrono::microseconds interval) {
        std::unique_lock lock(m_mutex);
        while (!m_wake.wait_for(lock, interval, [this] { return m_stop; }))
            sd_notify(0, "WATCHDOG=1");
    }

    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    std::thread m_thread;
};

// Before any thread exists, so every thread inherits the mask: SIGUSR1/2
// go to the reload thread, SIGTERM/SIGHUP/SIGINT to libmilter's signal
// thread (which stops smfi_main), never to a worker's default action.
void block_signals() {
    sigset_t signals;
    sigemptyset(&signals);
    for (int signal : {SIGUSR1, SIGUSR2, SIGTERM, SIGHUP, SIGINT})
        sigaddset(&signals, signal);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

// SPEC §11: the socket Postfix connects to is 0660 and group postfix, so
// smtpd (user postfix) may write to it and nobody else can. Under systemd
// the unit's Group=postfix and UMask=0007 already give that; as root
// (tests, a manual start) the group is set here.
bool restrict_socket(const std::string& socket, std::ostream& err) {
    std::string path;
    if (socket.rfind("unix:", 0) == 0)
        path = socket.substr(5);
    else if (socket.rfind("local:", 0) == 0)
        path = socket.substr(6);
    if (path.empty())
        return true;
    if (chmod(path.c_str(), 0660) != 0) {
        err << "leadmilter: cannot make " << path << " mode 0660: " << std::strerror(errno) << "\n";
        return false;
    }
    if (const group* postfix = getgrnam("postfix"); postfix && geteuid() == 0)
        if (chown(path.c_str(), static_cast<uid_t>(-1), postfix->gr_gid) != 0) {
            err << "leadmilter: cannot give " << path
                << " to group postfix: " << std::strerror(errno) << "\n";
            return false;
        }
    return true;
}

// Started as root, leadmilter becomes system.milter.user once its socket
// exists, before it reads the first byte of mail (OpenDKIM's UserID): the
// MIME, HTML and XML parsers never run as root. Checked: a process that
// could become root again has not dropped anything.
bool drop_privileges(const std::optional<std::string>& user, std::ostream& err) {
    if (geteuid() != 0) {
        if (user)
            if (const passwd* me = getpwuid(geteuid()); !me || me->pw_name != *user)
                log::warning(
                    "not started as root, so it stays the user it is",
                    {{"USER", me ? me->pw_name : std::to_string(geteuid())}, {"WANTED", *user}});
        return true;
    }
    if (!user) {
        log::warning("running as root: mail is parsed with every privilege; set "
                     "system.milter.user (e.g. leadrouter)");
        return true;
    }
    const passwd* account = getpwnam(user->c_str());
    if (!account) {
        err << "leadmilter: system.milter.user: there is no user \"" << *user << "\"\n";
        return false;
    }
    const uid_t uid = account->pw_uid;
    const gid_t gid = account->pw_gid;
    if (initgroups(user->c_str(), gid) != 0 || setgid(gid) != 0 || setuid(uid) != 0) {
        err << "leadmilter: cannot become " << *user << ": " << std::strerror(errno) << "\n";
        return false;
    }
    if (setuid(0) == 0 || getuid() != uid || geteuid() != uid || getegid() != gid) {
        err << "leadmilter: dropping to " << *user << " did not take\n";
        return false;
    }
    log::info("running as " + *user, {{"USER", *user}});
    return true;
}

// After smfi_main returned (SIGTERM): messages whose end is being stored
// finish and get their answer.
void wait_for_in_flight(const FilterContext& ctx) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(50);
    while (ctx.in_flight.load() > 0 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::this_thread::sleep_for(std::chrono::milliseconds(300)); // the answers go out
}

} // namespace

int run_leadmilter(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    const std::vector<util::OptionSpec> options = {
        {"config", true, "configuration file", "FILE"},
        {"database", true, "libpq conninfo instead of system.database", "CONNINFO"},
        {"socket", true, "listen here instead of system.milter.socket", "SPEC"},
        {"check-config", false, "validate the configuration and exit"},
        {"help", false, "show this help"}};
    auto program = util::parse_program_args(
        "leadmilter",
        "leadmilter [--config FILE] [--database CONNINFO] [--socket SPEC] [--check-config]", args,
        options, out, err);
    if (!program.parsed)
        return program.exit_status;
    const auto* parsed = &*program.parsed;
    const std::string path = config::config_path(parsed->value("config"));
    auto loaded = config::load_config_file(path);
    for (const auto& diagnostic : loaded.diagnostics)
        err << core::format_diagnostic(diagnostic) << "\n";
    if (!loaded.config) {
        err << "leadmilter: " << path << ": configuration rejected\n";
        return 1;
    }
    if (parsed->has("check-config")) {
        out << "configuration OK\n";
        return 0;
    }
    log::set_program("leadmilter");
    block_signals();

    auto runtime = std::make_shared<const Runtime>(loaded.config);
    const auto database = parsed->value("database");
    RuntimeHolder holder(runtime);
    store::ConnectionPool pool(database.value_or(loaded.config->system.database),
                               loaded.config->system.milter_max_connections, message_wait,
                               loaded.config->system.milter_prepared_statements);
    std::counting_semaphore<1000> message_slots(
        static_cast<std::ptrdiff_t>(loaded.config->system.milter_max_messages));
    LeadCommitter committer(pool);
    Notifier notifier(pool);
    FilterContext context;
    context.runtime = &holder;
    context.pool = &pool;
    context.committer = &committer;
    context.notifier = &notifier;
    context.message_slots = &message_slots;

    const std::string socket =
        parsed->value("socket").value_or(loaded.config->system.milter_socket);
    if (auto problem = config::milter_socket_problem(socket)) {
        err << "leadmilter: " << *problem << "\n";
        return 1;
    }
    if (auto warning = config::milter_socket_warning(socket))
        log::warning(*warning, {{"SOCKET", socket}});
    if (!register_filter(context) ||
        smfi_setconn(const_cast<char*>(socket.c_str())) != MI_SUCCESS ||
        smfi_setbacklog(256) != MI_SUCCESS) {
        err << "leadmilter: cannot set up the milter on " << socket << "\n";
        return 1;
    }
    if (smfi_opensocket(true) != MI_SUCCESS) {
        err << "leadmilter: cannot listen on " << socket << "\n";
        return 1;
    }
    if (!restrict_socket(socket, err) || !drop_privileges(loaded.config->system.milter_user, err))
        return 1;
    metrics::declare();
    auto metrics_endpoint = http::serve_metrics(loaded.config->system.metrics.milter);
    if (!metrics_endpoint) {
        err << "leadmilter: " << metrics_endpoint.error().message << "\n";
        return 1;
    }
    int status = 0;
    {
        ReloadThread reload(path, holder, pool, database);
        WatchdogThread watchdog;
        log::info("listening", {{"SOCKET", socket}, {"CONFIG", path}});
        sd_notify(0, "READY=1\nSTATUS=filtering");
        status = smfi_main();
        sd_notify(0, "STOPPING=1\nSTATUS=stopping");
        wait_for_in_flight(context);
    }
    log::info("stopped", {{"SOCKET", socket}});
    return status == MI_SUCCESS ? 0 : 1;
}

} // namespace lr::milter
