#include "util/secret_file.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace lr::util {

Result<std::string> read_secret_file(const std::string& path, std::size_t max_bytes,
                                     SecretAccess access) {
    const mode_t forbidden = access == SecretAccess::owner_only ? 077 : S_IROTH | S_IWOTH;
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return make_error(ErrorCode::io, std::strerror(errno));
    struct stat info {};
    std::string text(max_bytes + 1, '\0');
    ssize_t got = -1;
    const bool stat_ok = fstat(fd, &info) == 0;
    if (stat_ok && S_ISREG(info.st_mode) && (info.st_mode & forbidden) == 0)
        got = read(fd, text.data(), text.size());
    const int read_errno = errno;
    close(fd);
    if (!stat_ok || !S_ISREG(info.st_mode))
        return make_error(ErrorCode::invalid_input, "not a regular file");
    if (info.st_mode & forbidden)
        return make_error(ErrorCode::invalid_input,
                          access == SecretAccess::owner_only
                              ? "group or other users have access (chmod 0600, owned by the "
                                "user leadd and leadweb run as)"
                              : "readable by every user (chmod o-r; 0600 or 0640 with group "
                                "leadrouter)");
    if (got < 0)
        return make_error(ErrorCode::io, std::strerror(read_errno));
    if (static_cast<std::size_t>(got) > max_bytes)
        return make_error(ErrorCode::invalid_input,
                          "larger than " + std::to_string(max_bytes / 1024) + " KiB");
    text.resize(static_cast<std::size_t>(got));
    return text;
}

} // namespace lr::util
