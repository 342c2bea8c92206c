// Reading a small file that holds a secret (SMTP credentials, the link
// keys): opened without following a symbolic link, only a regular file,
// refused when users it is not meant for may read it, never read past
// max_bytes. The error says why in words a sysadmin can act on; the
// caller puts the setting's name in front.
#pragma once

#include "util/result.hpp"

#include <cstddef>
#include <string>

namespace lr::util {

enum class SecretAccess {
    owner_and_group, // 0600 or 0640 (group leadrouter); others never
    owner_only,      // 0600
};

Result<std::string> read_secret_file(const std::string& path, std::size_t max_bytes,
                                     SecretAccess access);

} // namespace lr::util
