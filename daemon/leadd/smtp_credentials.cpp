#include "smtp_credentials.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>

namespace lr::daemon {

namespace {

constexpr size_t max_credentials_bytes = 4096;

Error unusable(const std::string& path, const std::string& why) {
    return make_error(ErrorCode::invalid_input, "credentials_file " + path + ": " + why);
}

} // namespace

Result<SmtpCredentials> read_smtp_credentials(const std::string& path) {
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return unusable(path, std::strerror(errno));
    struct stat info {};
    std::string text(max_credentials_bytes + 1, '\0');
    ssize_t got = -1;
    if (fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && (info.st_mode & S_IROTH) == 0)
        got = read(fd, text.data(), text.size());
    const int read_errno = errno;
    close(fd);
    if (!S_ISREG(info.st_mode))
        return unusable(path, "not a regular file");
    if (info.st_mode & S_IROTH)
        return unusable(path, "readable by every user (chmod o-r; 0600 or 0640 with group "
                              "leadrouter)");
    if (got < 0)
        return unusable(path, std::strerror(read_errno));
    if (static_cast<size_t>(got) > max_credentials_bytes)
        return unusable(path, "larger than 4 KiB");
    text.resize(static_cast<size_t>(got));
    std::string_view line(text);
    line = line.substr(0, line.find('\n'));
    if (!line.empty() && line.back() == '\r')
        line.remove_suffix(1);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0)
        return unusable(path, "the first line is not user:password");
    return SmtpCredentials{std::string(line.substr(0, colon)), std::string(line.substr(colon + 1))};
}

} // namespace lr::daemon
