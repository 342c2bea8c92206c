// How much memory leadmilter takes when many large hostile mails arrive at
// once (issue #14, target: 20 concurrent 40 MB HTML-only mails with a peak
// RSS of at most 1 GB). A private PostgreSQL, leadmilter and a private
// Postfix relaying to smtp-sink; N SMTP sessions each send one such mail
// at the same moment. Prints wall time, what was stored, and leadmilter's
// peak resident memory (VmHWM from /proc).
//
//   milter_memory_bench [--messages 20] [--megabytes 40]
#include "example_config.hpp"
#include "hostile_mail.hpp"
#include "milter_process.hpp"
#include "pg_cluster.hpp"
#include "postfix_instance.hpp"
#include "process.hpp"
#include "smtp_client.hpp"
#include "smtp_sink.hpp"
#include "store/migrations.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

using namespace lr;

namespace {

// A field of /proc/PID/status in KiB (VmHWM: peak resident, VmRSS: now).
long status_kib(pid_t pid, const std::string& field) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(in, line);)
        if (line.rfind(field + ":", 0) == 0)
            return std::stol(line.substr(field.size() + 1));
    return -1;
}

} // namespace

int main(int argc, char** argv) {
    int messages = 20;
    int megabytes = 40;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--messages")
            messages = std::stoi(argv[i + 1]);
        else if (flag == "--megabytes")
            megabytes = std::stoi(argv[i + 1]);
    }
    auto cluster = test::PgCluster::start(true);
    {
        auto admin = store::Connection::open(cluster.conninfo("postgres"));
        if (!admin || !admin->exec("CREATE DATABASE leadrouter"))
            return 1;
        auto db = store::Connection::open(cluster.conninfo("leadrouter"));
        if (!db || !store::migrate(*db))
            return 1;
    }
    test::SmtpSink sink;
    test::MilterProcess milter(LEADMILTER_BINARY, test::write_example_config(),
                               cluster.conninfo("leadrouter"),
                               test::private_milter_socket("memory-bench"));
    test::PostfixInstance mx(
        {"mx-memory",
         sink.address(),
         milter.socket(),
         {"message_size_limit = 104857600", "milter_content_timeout = 300s",
          "milter_command_timeout = 300s", "default_process_limit = 200",
          "smtpd_client_connection_count_limit = 0", "smtpd_client_connection_rate_limit = 0"}});
    std::vector<std::string> mails;
    for (int i = 0; i < messages; ++i)
        mails.push_back(
            bench::html_mail(static_cast<size_t>(megabytes), "memory-bench-" + std::to_string(i)));
    const pid_t pid = milter.process().pid();
    const long before_kib = status_kib(pid, "VmHWM");

    std::atomic<int> accepted{0};
    std::atomic<bool> done{false};
    long highest_rss_kib = 0;
    std::thread watcher([&] {
        while (!done) {
            highest_rss_kib = std::max(highest_rss_kib, status_kib(pid, "VmRSS"));
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    });
    const auto started = std::chrono::steady_clock::now();
    std::vector<std::thread> senders;
    for (int i = 0; i < messages; ++i)
        senders.emplace_back([&, i] {
            auto reply = test::send_mail(mx.smtp_port(), "jana@example.org", {"mueller@dein.auto"},
                                         mails[static_cast<size_t>(i)]);
            if (reply.ok())
                ++accepted;
            else
                std::cerr << "message " << i << ": " << reply.text << "\n";
        });
    for (auto& sender : senders)
        sender.join();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    done = true;
    watcher.join();
    const long peak_kib = status_kib(pid, "VmHWM");

    auto db = store::Connection::open(cluster.conninfo("leadrouter"));
    long long stored = -1;
    if (db)
        if (auto rows = db->exec("SELECT count(*) FROM messages WHERE octet_length(raw) > 0"))
            stored = rows->integer(0, 0);
    std::printf("%d concurrent mails of %d MB (HTML only, base64) through Postfix into "
                "leadmilter\n",
                messages, megabytes);
    std::printf("accepted %d, stored %lld, %.1f s\n", accepted.load(), stored, seconds);
    std::printf("leadmilter peak RSS (VmHWM): %.0f MiB (%.0f MiB before the load; highest "
                "sampled VmRSS %.0f MiB)\n",
                peak_kib / 1024.0, before_kib / 1024.0, highest_rss_kib / 1024.0);
    return accepted == messages ? 0 : 1;
}
