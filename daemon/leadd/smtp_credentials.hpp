// The SMTP AUTH login of a server, from its credentials_file (issue #20):
// never in the YAML, never logged. Read before each send, so a changed
// password needs no reload.
#pragma once

#include "util/result.hpp"

#include <string>

namespace lr::daemon {

struct SmtpCredentials {
    std::string username;
    std::string password;
};

// The first line, "user:password" (split at the first colon). Refused: a
// file others may read, not a regular file, larger than 4 KiB, no colon.
Result<SmtpCredentials> read_smtp_credentials(const std::string& path);

} // namespace lr::daemon
