// How much a hostile mail costs the classifier (issue #14): writes a
// message whose only part is SIZE MB of HTML (base64, as a mass mailer
// sends it), runs `leadctl classify` on it (the milter's code path) a few
// times, and reports wall time and peak resident memory (wait4 rusage).
// Usage: [LEADCTL=/other/leadctl] classify_bench [SIZE_MB ...]   (default: 40)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace {

std::string base64(const std::string& data) {
    static const char table[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    size_t line = 0;
    for (size_t i = 0; i < data.size(); i += 3) {
        unsigned v = static_cast<unsigned char>(data[i]) << 16;
        if (i + 1 < data.size())
            v |= static_cast<unsigned char>(data[i + 1]) << 8;
        if (i + 2 < data.size())
            v |= static_cast<unsigned char>(data[i + 2]);
        out += table[(v >> 18) & 63];
        out += table[(v >> 12) & 63];
        out += i + 1 < data.size() ? table[(v >> 6) & 63] : '=';
        out += i + 2 < data.size() ? table[v & 63] : '=';
        if ((line += 4) == 76) {
            out += "\r\n";
            line = 0;
        }
    }
    return out + "\r\n";
}

std::string html_mail(size_t megabytes) {
    const std::string row = "<tr><td>Golf GTI Angebot</td><td>Preis 25.000 EUR</td><td><a "
                            "href='https://example.org/x'>Link</a></td></tr>\n";
    std::string html = "<html><body><table>\n";
    const size_t target = megabytes * 1024 * 1024 * 3 / 4; // base64 grows by 4/3
    while (html.size() < target)
        html += row;
    html += "</table><p>Name: Jana Krüger<br>E-Mail: jana@example.org</p></body></html>\n";
    return "From: Jana <jana@example.org>\r\nTo: mueller@dein.auto\r\nSubject: Anfrage\r\n"
           "Message-ID: <bench@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: text/html; "
           "charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
           base64(html);
}

struct Run {
    double seconds;
    long peak_kib;
};

// $LEADCTL, else the build's: to measure another version side by side.
const char* leadctl() {
    const char* other = std::getenv("LEADCTL");
    return other ? other : LEADCTL_BINARY;
}

Run classify(const std::string& file) {
    std::fflush(stdout); // the child must not print our buffer again
    std::cout.flush();
    const auto started = std::chrono::steady_clock::now();
    pid_t pid = fork();
    if (pid == 0) {
        if (!std::freopen("/dev/null", "w", stdout))
            _exit(126);
        execl(leadctl(), leadctl(), "classify", file.c_str(), nullptr);
        _exit(127);
    }
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        std::cerr << "leadctl classify failed (status " << status << ")\n";
    return {seconds, usage.ru_maxrss};
}

} // namespace

int main(int argc, char** argv) {
    std::vector<size_t> sizes;
    for (int i = 1; i < argc; ++i)
        sizes.push_back(std::stoul(argv[i]));
    if (sizes.empty())
        sizes = {40};
    std::cout << "| message | best of 3, seconds | peak RSS |\n|---:|---:|---:|\n";
    for (size_t megabytes : sizes) {
        const auto file = std::filesystem::temp_directory_path() /
                          ("leadrouter-classify-bench-" + std::to_string(getpid()) + ".eml");
        const std::string mail = html_mail(megabytes);
        std::ofstream(file, std::ios::binary) << mail;
        Run best{1e9, 0};
        for (int round = 0; round < 3; ++round) {
            Run run = classify(file.string());
            best.seconds = std::min(best.seconds, run.seconds);
            best.peak_kib = std::max(best.peak_kib, run.peak_kib);
        }
        std::filesystem::remove(file);
        std::printf("| %.1f MB HTML-only | %.2f | %.1f MiB |\n", mail.size() / 1e6, best.seconds,
                    best.peak_kib / 1024.0);
    }
    return 0;
}
