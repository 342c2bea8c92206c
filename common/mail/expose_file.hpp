// Exposé files (SPEC §8, issue #14): the inventory CSV names them, and the
// reply mails them to a customer, so the name is untrusted. A file is
// used only when its real path (symbolic links resolved) lies inside
// system.expose_dir, it is a regular file of at most max_expose_bytes and
// it starts with "%PDF-". A CSV naming /etc/leadrouter/leadrouter.yaml,
// ../../secret or a link out of the directory is refused, at import and
// again when the mail is built (the file may have changed since).
#pragma once

#include "util/result.hpp"

#include <cstdint>
#include <string>

namespace lr::mail {

inline constexpr std::uintmax_t max_expose_bytes = 20ull * 1024 * 1024;

// The checks only (import): reads the first bytes.
Result<void> check_expose(const std::string& expose_dir, const std::string& name);
// The checks, then the whole file (building the mail).
Result<std::string> read_expose(const std::string& expose_dir, const std::string& name);

} // namespace lr::mail
