// How much a hostile mail costs the classifier (issue #14): writes a
// message whose only part is SIZE MB of HTML (base64, as a mass mailer
// sends it), runs `leadctl classify` on it (the milter's code path) a few
// times, and reports wall time and peak resident memory (wait4 rusage).
// Usage: [LEADCTL=/other/leadctl] classify_bench [SIZE_MB ...]   (default: 40)
#include "hostile_mail.hpp"

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
        const std::string mail = lr::bench::html_mail(megabytes);
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
