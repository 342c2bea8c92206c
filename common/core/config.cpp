#include "core/config.hpp"

#include <algorithm>

namespace lr::core {

const User* Dealer::find_user(std::string_view user_id) const {
    auto it = std::find_if(users.begin(), users.end(),
                           [&](const User& user) { return user.id == user_id; });
    return it == users.end() ? nullptr : &*it;
}

const Location* Dealer::find_location(std::string_view location_id) const {
    auto it = std::find_if(locations.begin(), locations.end(),
                           [&](const Location& location) { return location.id == location_id; });
    return it == locations.end() ? nullptr : &*it;
}

bool Dealer::has_working_time() const {
    return std::any_of(working_hours.begin(), working_hours.end(),
                       [](const auto& day) { return !day.empty(); });
}

void SourceMap::add(std::string key, SourcePos pos) {
    m_positions.emplace(std::move(key), pos);
}

SourcePos SourceMap::find(std::string_view key) const {
    for (;;) {
        if (auto it = m_positions.find(key); it != m_positions.end())
            return it->second;
        size_t cut = key.find_last_of(".[");
        if (cut == std::string_view::npos || cut == 0)
            return {};
        key = key.substr(0, cut);
    }
}

bool ApiToken::sees(const std::string& dealer_id) const {
    return all_dealers || std::find(dealers.begin(), dealers.end(), dealer_id) != dealers.end();
}

const Dealer* Config::find_dealer(std::string_view dealer_id) const {
    auto it = std::find_if(dealers.begin(), dealers.end(),
                           [&](const Dealer& dealer) { return dealer.id == dealer_id; });
    return it == dealers.end() ? nullptr : &*it;
}

std::vector<std::string> Config::dealer_ids() const {
    std::vector<std::string> ids;
    for (const auto& dealer : dealers)
        ids.push_back(dealer.id);
    return ids;
}

RetentionPeriods Config::retention(const Dealer& dealer) const {
    RetentionPeriods periods = system.privacy.periods;
    periods.raw_mail = dealer.retain_raw_mail.value_or(periods.raw_mail);
    periods.unassignable = dealer.retain_unassignable.value_or(periods.unassignable);
    periods.leads = dealer.retain_leads.value_or(periods.leads);
    periods.sent_mail = dealer.retain_sent_mail.value_or(periods.sent_mail);
    return periods;
}

const ReactionProofs& Config::reaction_proofs(const Dealer& dealer) const {
    return dealer.reaction_proofs ? *dealer.reaction_proofs : system.reaction_proofs;
}

std::string dealer_key(const Dealer& dealer) {
    return "dealers[" + dealer.id + "]";
}

} // namespace lr::core
