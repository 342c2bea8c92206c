#include "log/log.hpp"

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <sys/stat.h>
#include <sys/uio.h>
#include <systemd/sd-journal.h>
#include <vector>

namespace lr::log {

namespace {

std::string& program() {
    static std::string name = "leadrouter";
    return name;
}

std::mutex& sink_mutex() {
    static std::mutex mutex;
    return mutex;
}

// systemd sets JOURNAL_STREAM to "device:inode" of the stream it connected
// to stderr; when that is our stderr, structured entries go to the journal.
bool stderr_is_journal() {
    static const bool journal = [] {
        const char* stream = std::getenv("JOURNAL_STREAM");
        if (!stream)
            return false;
        struct stat info {};
        if (fstat(2, &info) != 0)
            return false;
        unsigned long long device = 0;
        unsigned long long inode = 0;
        if (std::sscanf(stream, "%llu:%llu", &device, &inode) != 2)
            return false;
        return device == info.st_dev && inode == info.st_ino;
    }();
    return journal;
}

void to_journal(Priority priority, const std::string& message, const Fields& fields) {
    std::vector<std::string> entries;
    entries.push_back("MESSAGE=" + message);
    entries.push_back("PRIORITY=" + std::to_string(static_cast<int>(priority)));
    entries.push_back("SYSLOG_IDENTIFIER=" + program());
    for (const auto& [key, value] : fields)
        entries.push_back(key + "=" + value);
    std::vector<iovec> vectors;
    for (auto& entry : entries)
        vectors.push_back({entry.data(), entry.size()});
    sd_journal_sendv(vectors.data(), static_cast<int>(vectors.size()));
}

} // namespace

void set_program(std::string name) {
    program() = std::move(name);
}

void write(Priority priority, const std::string& message, const Fields& fields) {
    if (stderr_is_journal()) {
        to_journal(priority, message, fields);
        return;
    }
    std::string line = program() + ": ";
    if (priority <= Priority::warning)
        line += priority == Priority::err ? "error: " : "warning: ";
    line += message;
    for (const auto& [key, value] : fields)
        line += " " + key + "=" + value;
    line += "\n";
    std::lock_guard lock(sink_mutex());
    std::fputs(line.c_str(), stderr);
}

} // namespace lr::log
