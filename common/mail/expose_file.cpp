#include "mail/expose_file.hpp"

#include <algorithm>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

namespace lr::mail {

namespace fs = std::filesystem;

namespace {

Error refused(const std::string& name, const std::string& why) {
    return make_error(ErrorCode::refused, "exposé \"" + name + "\" " + why);
}

// The file descriptor closes on every return.
struct Fd {
    int fd;
    ~Fd() {
        if (fd >= 0)
            ::close(fd);
    }
};

// Opens the exposé after the checks; `whole` reads all of it, else only
// the magic bytes.
Result<std::string> open_checked(const std::string& expose_dir, const std::string& name,
                                 bool whole) {
    std::error_code ec;
    const fs::path dir = fs::canonical(expose_dir, ec);
    if (ec)
        return make_error(ErrorCode::io, "the exposé directory " + expose_dir +
                                             " cannot be used: " + ec.message());
    const fs::path named = fs::path(name).is_absolute() ? fs::path(name) : dir / name;
    const fs::path real = fs::canonical(named, ec);
    if (ec)
        return refused(name, "does not exist in the exposé directory " + dir.string());
    const auto [end, _] = std::mismatch(dir.begin(), dir.end(), real.begin(), real.end());
    if (end != dir.end() || real == dir)
        return refused(name, "is outside the exposé directory " + dir.string());
    // O_NOFOLLOW: the last component was resolved above; a link put there
    // since is refused rather than followed.
    Fd file{::open(real.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC)};
    if (file.fd < 0)
        return refused(name, "cannot be opened");
    struct stat status {};
    if (::fstat(file.fd, &status) != 0 || !S_ISREG(status.st_mode))
        return refused(name, "is not a regular file");
    if (static_cast<std::uintmax_t>(status.st_size) > max_expose_bytes)
        return refused(name, "is larger than " + std::to_string(max_expose_bytes >> 20) + " MiB");
    std::string bytes(whole ? static_cast<size_t>(status.st_size) : 5, '\0');
    size_t got = 0;
    while (got < bytes.size()) {
        ssize_t n = ::read(file.fd, bytes.data() + got, bytes.size() - got);
        if (n <= 0)
            break;
        got += static_cast<size_t>(n);
    }
    bytes.resize(got);
    if (bytes.compare(0, 5, "%PDF-") != 0)
        return refused(name, "is not a PDF (it does not start with %PDF-)");
    return bytes;
}

} // namespace

Result<void> check_expose(const std::string& expose_dir, const std::string& name) {
    auto checked = open_checked(expose_dir, name, false);
    if (!checked)
        return checked.error();
    return {};
}

Result<std::string> read_expose(const std::string& expose_dir, const std::string& name) {
    return open_checked(expose_dir, name, true);
}

} // namespace lr::mail
