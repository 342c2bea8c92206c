#include "postfix_instance.hpp"

#include "process.hpp"
#include "smtp_sink.hpp"

#include <csignal>
#include <filesystem>
#include <fstream>
#include <grp.h>
#include <pwd.h>
#include <set>
#include <stdexcept>
#include <unistd.h>

namespace fs = std::filesystem;

namespace lr::test {

namespace {

// Chroot off everywhere (Debian's master.cf chroots smtpd into
// /var/spool/postfix, which this instance does not use).
constexpr const char* master_cf = R"(pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
)";

void give_to_postfix(const fs::path& path) {
    const passwd* user = getpwnam("postfix");
    if (!user || chown(path.c_str(), user->pw_uid, user->pw_gid) != 0)
        throw std::runtime_error("cannot give " + path.string() + " to the postfix user");
}

} // namespace

PostfixInstance::PostfixInstance(const PostfixOptions& options) {
    if (!fs::exists("/usr/sbin/postfix"))
        throw std::runtime_error("/usr/sbin/postfix is missing (Debian package postfix)");
    std::string pattern = (fs::temp_directory_path() / ("leadrouter-postfix-XXXXXX")).string();
    if (!mkdtemp(pattern.data()))
        throw std::runtime_error("mkdtemp failed for " + pattern);
    m_dir = pattern;
    fs::permissions(m_dir, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                               fs::perms::others_read | fs::perms::others_exec);
    fs::create_directories(m_dir + "/etc");
    fs::create_directories(m_dir + "/queue");
    fs::create_directories(m_dir + "/data");
    give_to_postfix(m_dir + "/data");
    m_port = free_loopback_port();

    std::ofstream main_cf(m_dir + "/etc/main.cf");
    main_cf << "compatibility_level = 3.6\n"
            << "queue_directory = " << m_dir << "/queue\n"
            << "data_directory = " << m_dir << "/data\n"
            << "mail_owner = postfix\nsetgid_group = postdrop\n"
            << "myhostname = " << options.name << ".leadrouter.test\n"
            << "mydestination =\ninet_interfaces = 127.0.0.1\ninet_protocols = ipv4\n"
            << "mynetworks = 127.0.0.0/8\nrelay_domains = dein.auto\n"
            << "smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination\n"
            << "default_transport = smtp:[" << options.relay.substr(0, options.relay.find(':'))
            << "]" << options.relay.substr(options.relay.find(':')) << "\n"
            << "relay_transport = $default_transport\n"
            << "alias_maps =\nalias_database =\nlocal_recipient_maps =\n"
            << "maillog_file_prefixes = " << m_dir << "\n"
            << "maillog_file = " << m_dir << "/maillog\n"
            << "smtputf8_enable = no\nsmtpd_tls_security_level = none\n"
            << "smtp_tls_security_level = none\nbiff = no\n"
            << "smtpd_milters = " << options.milters << "\n"
            << "milter_default_action = tempfail\nmilter_protocol = 6\n"
            << "message_size_limit = 104857600\n";
    for (const auto& line : options.extra_settings)
        main_cf << line << "\n";
    main_cf.close();
    std::ofstream(m_dir + "/etc/master.cf") << "127.0.0.1:" << m_port << " inet n - n - - smtpd\n"
                                            << master_cf;

    const std::string log = m_dir + "/start.log";
    if (run_program({"/usr/sbin/postfix", "-c", m_dir + "/etc", "start"}, log) != 0)
        throw std::runtime_error("postfix start failed: " + read_text_file(log) +
                                 read_text_file(maillog()));
    if (!eventually([&] { return fs::exists(m_dir + "/queue/pid/master.pid"); },
                    std::chrono::seconds(10)))
        throw std::runtime_error("postfix master did not come up: " + read_text_file(maillog()));
}

PostfixInstance::~PostfixInstance() {
    std::string pid_text = read_text_file(m_dir + "/queue/pid/master.pid");
    run_program({"/usr/sbin/postfix", "-c", m_dir + "/etc", "stop"});
    pid_t master = pid_text.empty() ? 0 : static_cast<pid_t>(std::stol(pid_text));
    if (master > 0)
        eventually([&] { return kill(master, 0) != 0; }, std::chrono::seconds(15));
    std::error_code ec;
    fs::remove_all(m_dir, ec);
}

std::string PostfixInstance::maillog() const {
    return m_dir + "/maillog";
}

int PostfixInstance::queued() const {
    // By queue id (the file's name): the queue manager may move a message
    // from incoming to active while the directories are walked one after
    // the other, and it must not count twice (it once gave 4 for 3).
    std::set<std::string> ids;
    for (const char* queue : {"incoming", "active", "deferred", "hold", "maildrop"}) {
        std::error_code ec;
        for (auto it = fs::recursive_directory_iterator(m_dir + "/queue/" + queue, ec);
             !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
            if (it->is_regular_file(ec))
                ids.insert(it->path().filename().string());
    }
    return static_cast<int>(ids.size());
}

void PostfixInstance::flush() const {
    run_program({"/usr/sbin/postqueue", "-c", m_dir + "/etc", "-f"});
}

} // namespace lr::test
