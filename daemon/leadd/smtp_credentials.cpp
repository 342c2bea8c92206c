#include "smtp_credentials.hpp"

#include "util/secret_file.hpp"

#include <string_view>

namespace lr::daemon {

namespace {

constexpr size_t max_credentials_bytes = 4096;

Error unusable(const std::string& path, const std::string& why) {
    return make_error(ErrorCode::invalid_input, "credentials_file " + path + ": " + why);
}

} // namespace

Result<SmtpCredentials> read_smtp_credentials(const std::string& path) {
    auto text =
        util::read_secret_file(path, max_credentials_bytes, util::SecretAccess::owner_and_group);
    if (!text)
        return unusable(path, text.error().message);
    std::string_view line(*text);
    line = line.substr(0, line.find('\n'));
    if (!line.empty() && line.back() == '\r')
        line.remove_suffix(1);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0)
        return unusable(path, "the first line is not user:password");
    return SmtpCredentials{std::string(line.substr(0, colon)), std::string(line.substr(colon + 1))};
}

} // namespace lr::daemon
