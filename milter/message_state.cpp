#include "message_state.hpp"

#include "util/strings.hpp"

#include <algorithm>
#include <iterator>

namespace lr::milter {

bool MessageState::add_recipient(const std::string& as_received) {
    recipients.push_back(as_received);
    auto match = runtime->mailboxes.find(as_received);
    if (!match)
        return false;
    auto group = std::find_if(ours.begin(), ours.end(), [&](const DealerRecipients& entry) {
        return entry.dealer == match->dealer;
    });
    if (group == ours.end()) {
        ours.push_back({match->dealer, {}, {}});
        group = std::prev(ours.end());
    }
    group->recipients.push_back({as_received, match->location});
    if (!match->tag.empty())
        group->tags.push_back(match->tag);
    return true;
}

void MessageState::note_header(std::string_view name, std::string_view value) {
    if (util::iequals(name, "Authentication-Results")) {
        auth_headers.push_back({std::string(value), !past_top_headers});
        return;
    }
    past_top_headers = true;
}

void MessageState::expect_size(std::string_view esmtp_argument) {
    if (!util::starts_with_icase(esmtp_argument, "SIZE="))
        return;
    const auto digits = esmtp_argument.substr(5);
    std::uint64_t announced = 0;
    for (char c : digits) {
        if (c < '0' || c > '9' || announced > runtime->config->system.max_message_size)
            return;
        announced = announced * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (announced <= runtime->config->system.max_message_size)
        announced_size = announced;
}

bool MessageState::append(std::string_view bytes) {
    size += bytes.size();
    if (size > runtime->config->system.max_message_size) {
        too_big = true;
        raw.release();
        return false;
    }
    if (raw.size() == 0 && announced_size > 0) // the message is ours: make its room
        raw.reserve(static_cast<size_t>(announced_size) + 4096); // + Postfix's Received
    raw.append(bytes);
    return true;
}

} // namespace lr::milter
