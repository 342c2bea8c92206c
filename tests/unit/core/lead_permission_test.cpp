#include "core/lead_permission.hpp"

#include <catch2/catch.hpp>

using namespace lr;
using core::LeadAction;
using core::Refusal;

namespace {

core::User user(const std::string& id, const std::string& name, bool assignable,
                std::optional<std::string> supervisor = std::nullopt,
                std::optional<std::string> substitute = std::nullopt) {
    core::User out;
    out.id = id;
    out.name = name;
    out.email = id + "@autohaus.example";
    out.assignable = assignable;
    out.supervisor = std::move(supervisor);
    out.substitute = std::move(substitute);
    return out;
}

core::Dealer dealer(bool pool, bool oldest_only = false) {
    core::Dealer out;
    out.id = "mueller";
    out.admin_user = "admin";
    out.pool.enabled = pool;
    out.pool.user = "pool";
    out.pool.oldest_only = oldest_only;
    out.users = {user("schmidt", "Anna Schmidt", true, "mayer", "weber"),
                 user("weber", "Jonas Weber", true, "mayer"),
                 user("anna", "Anna Berg", true, "mayer"),
                 user("mayer", "Petra Mayer", true),
                 user("azubi", "Tim Lehrling", false, "mayer"),
                 user("pool", "Pool", false),
                 user("admin", "Administrator", true)};
    return out;
}

core::ReplyCommand command(LeadAction action, std::string target = "") {
    core::ReplyCommand out;
    out.action = action;
    out.target = std::move(target);
    return out;
}

std::optional<Refusal> refusal(const core::Dealer& d, const core::LeadStanding& lead,
                               const std::string& who, LeadAction action,
                               const std::string& target = "") {
    return core::permit(d, lead, who, command(action, target)).refusal;
}

} // namespace

TEST_CASE("permissions: claiming takes a lead from the pool, by an assignable user, the oldest "
          "with oldest_only",
          "[permission]") {
    const auto with_pool = dealer(true);
    const core::LeadStanding in_pool{7, "assigned", "pool", 7};
    CHECK_FALSE(refusal(with_pool, in_pool, "weber", LeadAction::claim));
    CHECK(refusal(with_pool, in_pool, "azubi", LeadAction::claim) == Refusal::not_assignable);
    CHECK(refusal(with_pool, in_pool, "stranger", LeadAction::claim) == Refusal::not_a_user);
    CHECK(refusal(with_pool, {7, "assigned", "schmidt", 3}, "weber", LeadAction::claim) ==
          Refusal::not_in_pool);
    CHECK(refusal(dealer(false), {7, "assigned", "schmidt", {}}, "weber", LeadAction::claim) ==
          Refusal::no_pool);
    const auto oldest_only = dealer(true, true);
    CHECK(refusal(oldest_only, {7, "assigned", "pool", 3}, "weber", LeadAction::claim) ==
          Refusal::not_oldest);
    CHECK_FALSE(refusal(oldest_only, {3, "assigned", "pool", 3}, "weber", LeadAction::claim));
    CHECK(refusal(with_pool, {7, "closed", "pool", 7}, "weber", LeadAction::claim) ==
          Refusal::not_open);
    CHECK(refusal(with_pool, {7, "new", std::nullopt, {}}, "weber", LeadAction::claim) ==
          Refusal::not_assigned);
}

TEST_CASE("permissions: answered, resubmission and close belong to the assignee, the "
          "substitute, the supervisor and the admin user",
          "[permission]") {
    const auto d = dealer(true);
    const core::LeadStanding schmidts{9, "assigned", "schmidt", {}};
    for (auto action : {LeadAction::react, LeadAction::resubmit, LeadAction::close}) {
        for (const char* who : {"schmidt", "weber", "mayer", "admin"}) {
            INFO(who);
            CHECK_FALSE(refusal(d, schmidts, who, action));
        }
        CHECK(refusal(d, schmidts, "anna", action) == Refusal::not_yours);
        CHECK(refusal(d, {9, "assigned", "pool", 9}, "schmidt", action) == Refusal::claim_first);
        CHECK(refusal(d, {9, "merged", "schmidt", {}}, "schmidt", action) == Refusal::not_open);
    }
    CHECK_FALSE(refusal(d, {9, "responded", "schmidt", {}}, "schmidt", LeadAction::close));
}

TEST_CASE("permissions: reassigning is for the assignee's supervisor and the admin user, to an "
          "assignable user named by id, name or address",
          "[permission]") {
    const auto d = dealer(false);
    const core::LeadStanding schmidts{9, "assigned", "schmidt", {}};
    auto by_mayer = core::permit(d, schmidts, "mayer", command(LeadAction::reassign, "weber"));
    REQUIRE(by_mayer);
    CHECK(by_mayer.target->id == "weber");
    CHECK(core::permit(d, schmidts, "admin", command(LeadAction::reassign, "jonas")).target->id ==
          "weber");
    CHECK(refusal(d, schmidts, "schmidt", LeadAction::reassign, "weber") ==
          Refusal::supervisors_only);
    CHECK(refusal(d, schmidts, "weber", LeadAction::reassign, "weber") ==
          Refusal::supervisors_only);
    CHECK(refusal(d, schmidts, "mayer", LeadAction::reassign, "müller") == Refusal::unknown_target);
    // "anna" is a user id, though two users are called Anna: the id wins.
    CHECK(core::user_by_word(d, "anna")->id == "anna");
    CHECK(core::user_by_word(d, "schmidt")->id == "schmidt");
    CHECK(core::user_by_word(d, "lehrling")->id == "azubi");
    CHECK(core::user_by_word(d, "nobody") == nullptr);
    CHECK(refusal(d, schmidts, "mayer", LeadAction::reassign, "azubi") ==
          Refusal::target_not_assignable);
}

TEST_CASE("offered actions: what a notice offers its addressee", "[permission]") {
    const auto d = dealer(true);
    using V = std::vector<LeadAction>;
    CHECK(core::offered_actions(d, {7, "assigned", "pool", {}}, "weber") == V{LeadAction::claim});
    CHECK(core::offered_actions(d, {9, "assigned", "schmidt", {}}, "schmidt") ==
          V{LeadAction::react, LeadAction::resubmit, LeadAction::close});
    CHECK(core::offered_actions(d, {9, "assigned", "schmidt", {}}, "mayer") ==
          V{LeadAction::react, LeadAction::resubmit, LeadAction::reassign, LeadAction::close});
    CHECK(core::offered_actions(d, {9, "closed", "schmidt", {}}, "schmidt").empty());
}

TEST_CASE("permissions: a reply to the customer (leadweb's LMS page) as a reaction, only where the "
          "dealer lets the product mail customers",
          "[permission]") {
    auto lms = dealer(true);
    const core::LeadStanding held{9, "assigned", "schmidt", std::nullopt};
    CHECK_FALSE(refusal(lms, held, "schmidt", LeadAction::reply));
    CHECK_FALSE(refusal(lms, held, "weber", LeadAction::reply)); // the substitute
    CHECK(refusal(lms, held, "anna", LeadAction::reply) == Refusal::not_yours);
    CHECK(refusal(lms, {9, "assigned", "pool", 9}, "schmidt", LeadAction::reply) ==
          Refusal::claim_first);
    auto tracking = lms;
    tracking.lead_tracking = true;
    CHECK(refusal(tracking, held, "schmidt", LeadAction::reply) == Refusal::tracking_only);
    auto no_mail = lms;
    no_mail.send_external_mail = false;
    CHECK(refusal(no_mail, held, "schmidt", LeadAction::reply) == Refusal::no_external_mail);
    // Not a mail command: never offered as one.
    const auto offered = core::offered_actions(lms, held, "schmidt");
    CHECK(std::find(offered.begin(), offered.end(), LeadAction::reply) == offered.end());
}
