#include "core/notification.hpp"

#include "core/schedule.hpp"

#include <algorithm>

namespace lr::core {

Firing decide_firing(const Dealer* dealer, const DueEvent& event,
                     const std::set<std::string>& absent) {
    Firing firing;
    if (!dealer) {
        firing.reason = "dealer " + event.dealer_id + " is no longer configured";
        return firing;
    }
    if (event.lead_state == "closed" || event.lead_state == "merged") {
        firing.reason = "the lead is " + event.lead_state;
        return firing;
    }
    auto add = [&](const User* user) {
        if (user &&
            std::find(firing.users.begin(), firing.users.end(), user->id) == firing.users.end()) {
            firing.users.push_back(user->id);
            firing.emails.push_back(user->email);
        }
    };
    // A user removed from the configuration: the admin account stands in.
    const User* addressee = dealer->find_user(event.addressee);
    if (!addressee)
        addressee = dealer->find_user(dealer->admin_user);
    add(addressee);
    if (addressee && absent.count(addressee->id) && addressee->substitute)
        add(dealer->find_user(*addressee->substitute));
    if (event.kind == event_kind::notice && dealer->pool.enabled && dealer->pool.notify_members &&
        addressee && addressee->id == dealer->pool.user)
        for (const auto& user : dealer->users)
            if (user.assignable)
                add(&user);
    firing.send = !firing.users.empty();
    if (!firing.send)
        firing.reason = "nobody to send it to";
    return firing;
}

} // namespace lr::core
