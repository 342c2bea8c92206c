// The specification's example configuration, written to a temporary file
// with some text replaced (an SMTP port, a flag): for tests that start
// leadd or leadctl with a variant of it.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace lr::test {

using Replacements = std::vector<std::pair<std::string, std::string>>;

// The example's text with each `from` replaced by `to` (each must occur).
std::string example_config_text(const Replacements& replacements = {});
// The same, written to a file under the temp directory; returns its path.
std::string write_example_config(const Replacements& replacements = {});
// Replacements that point smtp.server at address.
Replacements smtp_at(const std::string& address);
// A replacement that sets system.expose_dir (an added key) to dir.
std::pair<std::string, std::string> expose_dir_at(const std::string& dir);
// Replacements that open the example dealer around the clock (Monday to
// Saturday, no holidays, in a zone where now is a working day) with
// escalations in minutes (reminder 1m, level 1 2m, level 2 1m after it):
// for daemon-mode tests on the real clock.
Replacements round_the_clock();
// Replacements that turn the example dealer into a pool dealer: pool on
// (notify_members as given), no groups, nobody else in the rotation.
Replacements pool_mode(bool notify_members);
// A replacement that adds a system.web block (an added key, issue #15):
// leadweb's public_url and key file, and any further lines of the block
// ("    request_timeout: 2\n").
// A fresh directory for one test's files under the temp dir, named after
// prefix, this process and the test database, with a leadweb key file
// (0600) in it; the key file's path.
std::string web_secret_in(const std::string& prefix, const std::string& database_name);

std::pair<std::string, std::string> web_at(const std::string& public_url,
                                           const std::string& secret_file,
                                           const std::string& more_lines = "");

} // namespace lr::test
