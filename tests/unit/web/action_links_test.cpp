// Issue #15: which notice links which actions, and only what the rule
// offers the addressee.
#include "web/action_links.hpp"

#include <catch2/catch.hpp>

using namespace lr;
using core::LeadAction;
using Actions = std::vector<LeadAction>;

TEST_CASE("a notice links the actions that fit its kind and that its addressee may do",
          "[web][links]") {
    const Actions all = {LeadAction::claim, LeadAction::react, LeadAction::resubmit,
                         LeadAction::reassign, LeadAction::close};
    CHECK(web::linked_actions("assignment_notice", true, all) == Actions{LeadAction::claim});
    for (const char* kind :
         {"assignment_notice", "reminder", "level1", "resubmission", "customer_message"})
        CHECK(web::linked_actions(kind, false, all) ==
              Actions{LeadAction::react, LeadAction::resubmit});
    for (const char* kind : {"level2", "level2_resubmission"})
        CHECK(web::linked_actions(kind, false, all) ==
              Actions{LeadAction::reassign, LeadAction::react});
    // What the addressee may not do is never linked.
    CHECK(web::linked_actions("level2", false, {LeadAction::react}) == Actions{LeadAction::react});
    CHECK(web::linked_actions("assignment_notice", true, {}).empty());
    CHECK(web::linked_actions("reminder", false, {LeadAction::claim}).empty());
    // LMS mode: Antworten first, where Beantwortet is offered (never in the
    // pool, never to the supervisor at level 2).
    CHECK(web::linked_actions("reminder", false, all, true) ==
          Actions{LeadAction::reply, LeadAction::react, LeadAction::resubmit});
    CHECK(web::linked_actions("assignment_notice", true, all, true) == Actions{LeadAction::claim});
    CHECK(web::linked_actions("level2", false, all, true) ==
          Actions{LeadAction::reassign, LeadAction::react});
    CHECK(web::linked_actions("reminder", false, {LeadAction::resubmit}, true) ==
          Actions{LeadAction::resubmit});
}

TEST_CASE("links point at public_url/a/<token>, each signed for its action", "[web][links]") {
    const web::KeyRing ring{{std::string(40, 'k')}};
    const core::Instant now{std::chrono::seconds{1'765'000'000}};
    web::LinkRequest request{"https://leads.example.de/",
                             "reminder",
                             false,
                             42,
                             7,
                             "weber",
                             {LeadAction::react, LeadAction::resubmit, LeadAction::close},
                             now + std::chrono::hours(24)};
    auto links = web::action_links(request, ring);
    REQUIRE(links.size() == 2);
    CHECK(links[0].label == "Beantwortet");
    CHECK(links[1].label == "Wiedervorlage");
    for (size_t i = 0; i < links.size(); ++i) {
        const std::string prefix = "https://leads.example.de/a/";
        REQUIRE(links[i].url.rfind(prefix, 0) == 0);
        auto checked = web::check_token(links[i].url.substr(prefix.size()), ring, now);
        REQUIRE(checked.check == web::TokenCheck::valid);
        CHECK(checked.claim.action == links[i].action);
        CHECK(checked.claim.lead_id == 42);
        CHECK(checked.claim.lead_version == 7);
        CHECK(checked.claim.user_id == "weber");
    }
    CHECK(web::action_links(request, web::KeyRing{}).empty()); // no key, no links
    request.user_id.clear();
    CHECK(web::action_links(request, ring).empty()); // a notice to nobody in particular
}
