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

bool MessageState::append(std::string_view bytes) {
    size += bytes.size();
    if (size > runtime->config->system.max_message_size) {
        too_big = true;
        raw.clear();
        raw.shrink_to_fit();
        return false;
    }
    raw.append(bytes);
    return true;
}

} // namespace lr::milter
