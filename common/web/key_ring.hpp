// The link keys (system.web.secret_file, issue #15): one key a line, the
// first signs, every one verifies. Rotation: put the new key on the first
// line and keep the old one on the second until the old links have
// expired (system.web.link_lifetime), then remove it.
//
// The file must be a regular file that only its owner can read or write
// (0600; leadd and leadweb both run as leadrouter), not a symbolic link,
// with one or two keys of at least 32 characters ("openssl rand -hex 32").
#pragma once

#include "util/result.hpp"
#include "web/action_token.hpp"

#include <string>

namespace lr::web {

Result<KeyRing> read_key_ring(const std::string& path);

} // namespace lr::web
