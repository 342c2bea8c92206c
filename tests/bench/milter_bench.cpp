// Inbound mail throughput through a private Postfix (issue #3): the same
// load with (a) no milter, (b) a null milter that registers every callback
// and accepts everything, (c) leadmilter with a durable PostgreSQL; one
// message per SMTP session, as inbound MX traffic is; relayed to smtp-sink.
// Prints messages per second, the ratios c/a and c/b, and leadmilter's own
// time per message (classification and commit; median and p99).
//
//   milter_bench [--messages N] [--sizes 4096,65536] [--sessions 1,20]
//                [--modes none,null,leadmilter] [--rounds 2]
// A fourth mode, nullcommit, is the null milter storing each message with one
// durable INSERT (what a milter that must commit costs at the least).
// --messages is per mode and cell, split over the rounds.
#include "example_config.hpp"
#include "milter_log.hpp"
#include "milter_process.hpp"
#include "pg_cluster.hpp"
#include "postfix_instance.hpp"
#include "process.hpp"
#include "smtp_client.hpp"
#include "smtp_sink.hpp"
#include "store/migrations.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <pwd.h>
#include <sstream>
#include <thread>
#include <unistd.h>

using namespace lr;
using bench::elapsed_since;
using bench::percentile;
using Clock = std::chrono::steady_clock;

namespace {

std::vector<int> int_list(const std::string& text) {
    std::vector<int> out;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ','))
        out.push_back(std::stoi(item));
    return out;
}

// A website lead of about `size` bytes, shaped like inbound lead mail: a
// form text of a few hundred bytes, then the rest as a photo the customer
// attached (base64), as marketplace and website mails carry pictures.
std::string lead_message(int index, int size) {
    const std::string id =
        std::to_string(getpid()) + "-" + std::to_string(index) + "-" + std::to_string(size);
    std::string message =
        "From: Website <website@autohaus-mueller.example>\r\nTo: mueller@dein.auto\r\n"
        "Subject: Kontaktformular\r\nMessage-ID: <bench-" +
        id +
        "@autohaus-mueller.example>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: multipart/mixed; boundary=\"b-" +
        id + "\"\r\n\r\n--b-" + id +
        "\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        "Vorname: Kunde\r\nNachname: Nummer" +
        std::to_string(index) + "\r\nE-Mail: kunde" + std::to_string(index) +
        "@example.org\r\nTelefon: 0176 1234" + std::to_string(1000 + index % 9000) +
        "\r\nNachricht: Ich interessiere mich fuer den Wagen und haette gern ein Angebot. "
        "Ist eine Probefahrt am Samstag moeglich?\r\n\r\n--b-" +
        id +
        "\r\nContent-Type: image/jpeg; name=\"foto.jpg\"\r\nContent-Disposition: attachment; "
        "filename=\"foto.jpg\"\r\nContent-Transfer-Encoding: base64\r\n\r\n";
    const std::string line =
        "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYI\r\n";
    while (message.size() + line.size() + 40 < static_cast<size_t>(size))
        message += line;
    return message + "\r\n--b-" + id + "--\r\n";
}

// Counts "status=sent" lines in a growing maillog, reading only what is new.
class SentCounter {
public:
    explicit SentCounter(std::string path) : m_path(std::move(path)) {}
    long long count() {
        std::string chunk;
        if (FILE* file = std::fopen(m_path.c_str(), "rb")) {
            std::fseek(file, m_offset, SEEK_SET);
            char buffer[65536];
            for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, file)) > 0;)
                chunk.append(buffer, n);
            std::fclose(file);
        }
        size_t end = chunk.rfind('\n');
        if (end == std::string::npos)
            return m_count;
        for (size_t at = chunk.find("status=sent"); at != std::string::npos && at < end;
             at = chunk.find("status=sent", at + 1))
            ++m_count;
        m_offset += static_cast<long>(end + 1);
        return m_count;
    }

private:
    std::string m_path;
    long m_offset = 0;
    long long m_count = 0;
};

struct CpuUse {
    double milter = 0;
    double database = 0;
    double postfix = 0;
};

struct Run {
    double per_second = 0;
    int failed = 0;
    CpuUse cpu_ms; // per message
};

Run load(test::PostfixInstance& mx, int messages, int size, int sessions) {
    SentCounter counter(mx.maillog());
    const long long before = counter.count();
    std::atomic<int> next{0};
    std::atomic<int> failed{0};
    const auto start = Clock::now();
    std::vector<std::thread> clients;
    for (int s = 0; s < sessions; ++s)
        clients.emplace_back([&] {
            for (int i; (i = next++) < messages;) {
                static std::atomic<int> serial{0};
                if (!test::send_mail(mx.smtp_port(), "sender@example.org", {"mueller@dein.auto"},
                                     lead_message(serial++, size))
                         .ok())
                    ++failed;
            }
        });
    for (auto& client : clients)
        client.join();
    const long long target = before + messages - failed;
    test::eventually([&] { return counter.count() >= target; }, std::chrono::minutes(10));
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return {messages / seconds, failed.load(), {}};
}

// The fields of /proc/PID/stat after the command name (which may hold
// spaces), numbered as in proc(5); empty when the process is gone.
std::vector<std::string> stat_fields(pid_t pid) {
    const std::string text = test::read_text_file("/proc/" + std::to_string(pid) + "/stat");
    std::vector<std::string> fields = {"", std::to_string(pid), ""};
    if (text.empty())
        return {};
    std::stringstream rest(text.substr(text.rfind(')') + 2));
    for (std::string field; rest >> field;)
        fields.push_back(field);
    return fields;
}

// CPU seconds (user + system, all threads) of a process and of the
// children it has waited for (Postfix's master, PostgreSQL's postmaster).
double cpu_seconds(pid_t pid, bool with_children = false) {
    const auto fields = stat_fields(pid);
    if (fields.size() < 18)
        return 0;
    double ticks = std::stod(fields[14]) + std::stod(fields[15]);
    if (with_children)
        ticks += std::stod(fields[16]) + std::stod(fields[17]);
    return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// CPU seconds of a server: the parent process, its ended children and
// the ones still running.
double server_cpu_seconds(pid_t parent) {
    double total = cpu_seconds(parent, true);
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        const std::string name = entry.path().filename();
        if (name.find_first_not_of("0123456789") != std::string::npos)
            continue;
        const auto fields = stat_fields(std::stoi(name));
        if (fields.size() > 4 && fields[4] == std::to_string(parent))
            total += cpu_seconds(std::stoi(name), true);
    }
    return total;
}

pid_t pid_in_file(const std::string& path) {
    std::stringstream in(test::read_text_file(path));
    pid_t pid = 0;
    in >> pid;
    return pid;
}

} // namespace

int main(int argc, char** argv) {
    int messages = 5000;
    std::vector<int> sizes = {4096, 65536};
    std::vector<int> session_counts = {1, 20};
    std::vector<std::string> modes = {"none", "null", "leadmilter"};
    int rounds = 2;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string flag = argv[i];
        if (flag == "--messages")
            messages = std::stoi(argv[i + 1]);
        else if (flag == "--sizes")
            sizes = int_list(argv[i + 1]);
        else if (flag == "--rounds")
            rounds = std::max(1, std::stoi(argv[i + 1]));
        else if (flag == "--sessions")
            session_counts = int_list(argv[i + 1]);
        else if (flag == "--modes") {
            modes.clear();
            std::stringstream in(argv[i + 1]);
            for (std::string mode; std::getline(in, mode, ',');)
                modes.push_back(mode);
        }
    }
    auto cluster = test::PgCluster::start(true);
    {
        auto admin = store::Connection::open(cluster.conninfo("postgres"));
        if (!admin || !admin->exec("CREATE DATABASE leadrouter"))
            return 1;
        auto db = store::Connection::open(cluster.conninfo("leadrouter"));
        if (!db || !store::migrate(*db) ||
            !db->exec("CREATE TABLE bench_raw (id bigserial PRIMARY KEY, queue_id text NOT NULL, "
                      "raw bytea COMPRESSION lz4 NOT NULL)"))
            return 1;
    }
    const int sink_port = test::free_loopback_port();
    const passwd* me = getpwuid(geteuid());
    test::ChildProcess sink({"/usr/sbin/smtp-sink", "-u", me ? me->pw_name : "root",
                             "127.0.0.1:" + std::to_string(sink_port), "512"},
                            "/dev/null");
    const std::string relay = "127.0.0.1:" + std::to_string(sink_port);
    const std::vector<std::string> postfix_settings = {
        "default_process_limit = 200", "smtpd_client_connection_count_limit = 0",
        "smtpd_client_connection_rate_limit = 0", "smtpd_client_message_rate_limit = 0"};

    // Every mode's milter and Postfix run side by side, and each cell runs
    // the modes in turn, forwards then backwards (A B C C B A ...): what
    // drifts over a run (here: ext4 without a journal scans past every
    // recently deleted inode when Postfix creates a queue file, so creating
    // files gets dearer the more were deleted in the last minutes) falls on
    // every mode alike instead of on the one that happens to run last.
    struct Setup {
        std::unique_ptr<test::ChildProcess> null_milter;
        std::unique_ptr<test::MilterProcess> lead_milter;
        std::unique_ptr<test::PostfixInstance> mx;
    };
    std::map<std::string, Setup> setups;
    for (const std::string& mode : modes) {
        // A unix socket, as in production (inet sockets add Nagle delays to
        // the milter's small replies).
        const std::string socket = test::private_milter_socket("bench-" + mode);
        Setup& setup = setups[mode];
        if (mode == "null" || mode == "nullcommit") {
            std::vector<std::string> command = {NULL_MILTER_BINARY, socket};
            if (mode == "nullcommit")
                command.push_back(cluster.conninfo("leadrouter"));
            setup.null_milter = std::make_unique<test::ChildProcess>(command, "/dev/null");
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
        } else if (mode == "leadmilter") {
            setup.lead_milter = std::make_unique<test::MilterProcess>(
                LEADMILTER_BINARY, test::write_example_config(), cluster.conninfo("leadrouter"),
                socket);
        }
        setup.mx = std::make_unique<test::PostfixInstance>(test::PostfixOptions{
            "mx-" + mode, relay, mode == "none" ? "" : socket, postfix_settings});
        load(*setup.mx, 50, 4096, 5); // warm-up: processes started, caches filled
    }

    std::map<std::string, std::map<std::pair<int, int>, Run>> results;
    std::map<std::pair<int, int>, std::pair<long long, long long>> latency;
    for (int size : sizes)
        for (int sessions : session_counts) {
            std::map<std::string, double> seconds;
            std::map<std::string, int> failed;
            std::map<std::string, CpuUse> cpu;
            std::vector<long long> elapsed;
            const int per_run = std::max(1, messages / rounds);
            for (int round = 0; round < rounds; ++round) {
                std::vector<std::string> order = modes;
                if (round % 2 == 1)
                    std::reverse(order.begin(), order.end());
                for (const std::string& mode : order) {
                    Setup& setup = setups[mode];
                    const std::string log =
                        setup.lead_milter ? setup.lead_milter->log_file() : std::string();
                    const size_t offset = log.empty() ? 0 : test::read_text_file(log).size();
                    const pid_t milter_pid = setup.lead_milter ? setup.lead_milter->process().pid()
                                             : setup.null_milter ? setup.null_milter->pid()
                                                                 : 0;
                    const pid_t postmaster = pid_in_file(cluster.dir() + "/data/postmaster.pid");
                    const pid_t master =
                        pid_in_file(setup.mx->directory() + "/queue/pid/master.pid");
                    const CpuUse before{milter_pid ? cpu_seconds(milter_pid) : 0,
                                        server_cpu_seconds(postmaster), server_cpu_seconds(master)};
                    Run run = load(*setup.mx, per_run, size, sessions);
                    cpu[mode].milter += (milter_pid ? cpu_seconds(milter_pid) : 0) - before.milter;
                    cpu[mode].database += server_cpu_seconds(postmaster) - before.database;
                    cpu[mode].postfix += server_cpu_seconds(master) - before.postfix;
                    seconds[mode] += per_run / run.per_second;
                    failed[mode] += run.failed;
                    if (!log.empty()) {
                        auto more = elapsed_since(log, offset);
                        elapsed.insert(elapsed.end(), more.begin(), more.end());
                    }
                }
            }
            for (const std::string& mode : modes) {
                Run run{per_run * rounds / seconds[mode], failed[mode], {}};
                const double sent = per_run * rounds;
                run.cpu_ms = {cpu[mode].milter * 1000 / sent, cpu[mode].database * 1000 / sent,
                              cpu[mode].postfix * 1000 / sent};
                results[mode][{size, sessions}] = run;
                std::printf("%-10s %6d B %3d sessions: %8.1f msg/s%s\n", mode.c_str(), size,
                            sessions, run.per_second,
                            run.failed ? (" (" + std::to_string(run.failed) + " refused)").c_str()
                                       : "");
            }
            latency[{size, sessions}] = {percentile(elapsed, 0.5), percentile(elapsed, 0.99)};
            std::fflush(stdout);
        }
    for (auto& [mode, setup] : setups) {
        setup.mx.reset();
        if (setup.lead_milter)
            setup.lead_milter->stop();
        if (setup.null_milter)
            setup.null_milter->signal(SIGTERM), setup.null_milter->wait(std::chrono::seconds(15));
    }
    const bool committing = results.count("nullcommit") > 0;
    std::printf("\n| size | sessions | none msg/s | null msg/s | %sleadmilter msg/s | c/a | c/b | "
                "%smilter median | milter p99 |\n|---:|---:|---:|---:|%s---:|---:|---:|%s---:|---:|"
                "\n",
                committing ? "nullcommit msg/s | " : "", committing ? "c/nullcommit | " : "",
                committing ? "---:|" : "", committing ? "---:|" : "");
    for (int size : sizes)
        for (int sessions : session_counts) {
            double a = results["none"][{size, sessions}].per_second;
            double b = results["null"][{size, sessions}].per_second;
            double c = results["leadmilter"][{size, sessions}].per_second;
            auto [median, p99] = latency[{size, sessions}];
            std::printf("| %d KB | %d | %.0f | %.0f | ", size / 1024, sessions, a, b);
            const double committed = results["nullcommit"][{size, sessions}].per_second;
            if (committing)
                std::printf("%.0f | ", committed);
            std::printf("%.0f | %.2f | %.2f | ", c, c / a, c / b);
            if (committing)
                std::printf("%.2f | ", c / committed);
            std::printf("%.2f ms | %.2f ms |\n", median / 1000.0, p99 / 1000.0);
        }
    std::printf(
        "\nCPU per message (ms; user + system): Postfix (master and all its processes), "
        "the milter, PostgreSQL\n\n| size | sessions | mode | Postfix | milter | PostgreSQL | "
        "sum |\n|---:|---:|---|---:|---:|---:|---:|\n");
    for (int size : sizes)
        for (int sessions : session_counts)
            for (const std::string& mode : modes) {
                const CpuUse& use = results[mode][{size, sessions}].cpu_ms;
                std::printf("| %d KB | %d | %s | %.3f | %.3f | %.3f | %.3f |\n", size / 1024,
                            sessions, mode.c_str(), use.postfix, use.milter, use.database,
                            use.postfix + use.milter + use.database);
            }
    sink.signal(SIGTERM);
    return 0;
}
