#include "util/random_token.hpp"

#include <cerrno>
#include <sys/random.h>
#include <system_error>
#include <vector>

namespace lr::util {

std::string random_hex(size_t bytes) {
    std::vector<unsigned char> raw(bytes);
    for (size_t got = 0; got < raw.size();) {
        const ssize_t n = getrandom(raw.data() + got, raw.size() - got, 0);
        if (n < 0 && errno != EINTR)
            throw std::system_error(errno, std::generic_category(), "getrandom");
        if (n > 0)
            got += static_cast<size_t>(n);
    }
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * bytes);
    for (unsigned char byte : raw) {
        out += digits[byte >> 4];
        out += digits[byte & 0x0F];
    }
    return out;
}

} // namespace lr::util
