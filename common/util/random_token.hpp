// Tokens nobody can guess: the kernel's random source (getrandom), as
// lower-case hex. One call and no generator to set up, so it is cheap on
// libmilter's short-lived worker threads too. Throws std::system_error in
// the unheard-of case that the kernel gives no random bytes.
#pragma once

#include <cstddef>
#include <string>

namespace lr::util {

// 2 * bytes hex digits.
std::string random_hex(size_t bytes);

} // namespace lr::util
