// SPEC §9 rule by rule, on configurations built from text. The fixture
// files under fixtures/config/ check the same rules through leadctl.
#include "config/loader.hpp"

#include <catch2/catch.hpp>

using namespace lr;

namespace {

std::string with_dealer(const std::string& dealer_body) {
    return R"(system:
  database: "dbname=x"
  automanager_url: "https://am.example/leads/"
dealers:
  - id: d1
    locations: [{id: main, mailbox: d1@dein.auto}, {id: kiel, mailbox: kiel@dein.auto}]
    working_hours: {mon: ["08:00-18:00"]}
    admin_user: a
)" + dealer_body;
}

const std::string three_users = R"(    users:
      - {id: a, email: a@d1.example}
      - {id: b, email: b@d1.example, receives_leads: true, assignable: true}
      - {id: c, email: c@d1.example, receives_leads: true, assignable: true}
)";

// "severity key: message" for every finding, in order.
std::vector<std::string> findings(const std::string& text) {
    auto loaded = config::load_config_text(text, "t.yaml");
    std::vector<std::string> out;
    for (const auto& d : loaded.diagnostics)
        out.push_back(std::string(d.severity == core::Severity::error ? "error " : "warning ") +
                      d.key + ": " + d.message);
    return out;
}

bool mentions(const std::vector<std::string>& lines, const std::string& part) {
    for (const auto& line : lines)
        if (line.find(part) != std::string::npos)
            return true;
    return false;
}

} // namespace

TEST_CASE("a clean dealer has no findings", "[check]") {
    CHECK(findings(with_dealer("    fallback_user: b\n" + three_users)).empty());
}

TEST_CASE("§9 errors: every kind of unknown user reference", "[check]") {
    auto lines = findings(with_dealer(R"(    fallback_user: nobody
    pool: {enabled: false, user: ghost}
    groups:
      - {id: g, members: [b, c, zoe]}
    users:
      - {id: a, email: a@d1.example}
      - {id: b, email: b@d1.example, receives_leads: true, assignable: true, supervisor: boss}
      - {id: c, email: c@d1.example, receives_leads: true, assignable: true, substitute: sub}
)"));
    CHECK(mentions(lines, "error dealers[d1].fallback_user: unknown user \"nobody\""));
    CHECK(mentions(lines, "error dealers[d1].pool.user: unknown user \"ghost\""));
    CHECK(mentions(lines, "error dealers[d1].groups[g].members: unknown user \"zoe\""));
    CHECK(mentions(lines, "error dealers[d1].users[b].supervisor: unknown user \"boss\""));
    CHECK(mentions(lines, "error dealers[d1].users[c].substitute: unknown user \"sub\""));
}

TEST_CASE("§9 errors: admin account and user locations must exist", "[check]") {
    auto lines = findings(R"(system:
  database: "dbname=x"
  automanager_url: "https://am.example/leads/"
dealers:
  - id: d1
    locations: [{id: main, mailbox: d1@dein.auto}]
    admin_user: root
    fallback_user: a
    users: [{id: a, email: a@d1.example, location: berlin, receives_leads: true, assignable: true},
            {id: b, email: b@d1.example, receives_leads: true, assignable: true}]
)");
    CHECK(mentions(lines, "error dealers[d1].admin_user: unknown user \"root\" as admin account"));
    CHECK(mentions(lines, "error dealers[d1].users[a].location: unknown location \"berlin\""));
}

TEST_CASE("§9 errors: pool together with groups", "[check]") {
    auto lines = findings(with_dealer(R"(    fallback_user: b
    pool: {enabled: true, user: a}
    groups: [{id: g, members: [b, c]}]
)" + three_users));
    CHECK(mentions(lines, "error dealers[d1].pool.enabled: a pool cannot be combined"));
}

TEST_CASE("§9 errors: duplicate mailbox, also within one dealer and ignoring case", "[check]") {
    auto lines = findings(R"(system:
  database: "dbname=x"
  automanager_url: "https://am.example/leads/"
dealers:
  - id: d1
    locations: [{id: main, mailbox: d1@dein.auto}, {id: two, mailbox: D1@dein.auto}]
    admin_user: a
    users: [{id: a, email: a@d1.example}]
)");
    CHECK(mentions(lines, "error dealers[d1].locations[two].mailbox: mailbox d1@dein.auto is "
                          "already used by dealers[d1].locations[main].mailbox"));
}

TEST_CASE("§9 errors: duplicate ids of dealers, users, locations, groups", "[check]") {
    auto lines = findings(R"(system:
  database: "dbname=x"
  automanager_url: "https://am.example/leads/"
dealers:
  - id: d1
    locations: [{id: main, mailbox: d1@dein.auto}, {id: main, mailbox: d1b@dein.auto}]
    admin_user: a
    groups: [{id: g, members: [a]}, {id: g, members: [a]}]
    users: [{id: a, email: a@d1.example}, {id: a, email: a2@d1.example}]
  - id: d1
    locations: [{id: main, mailbox: other@dein.auto}]
    admin_user: a
    users: [{id: a, email: a@d1.example}]
)");
    CHECK(mentions(lines, "error dealers[d1]: dealer id \"d1\" is used twice"));
    CHECK(mentions(lines, "user id \"a\" is used twice"));
    CHECK(mentions(lines, "location id \"main\" is used twice"));
    CHECK(mentions(lines, "group id \"g\" is used twice"));
}

TEST_CASE("§9 errors: overlapping working hours (touching ones are fine)", "[check]") {
    auto touching = findings(with_dealer("    fallback_user: b\n" + three_users));
    CHECK(touching.empty());
    std::string text = with_dealer("    fallback_user: b\n" + three_users);
    auto pos = text.find(R"(mon: ["08:00-18:00"])");
    auto touch = text;
    touch.replace(pos, 20, R"(mon: ["08:00-12:00", "12:00-18:00"])");
    CHECK(findings(touch).empty());
    auto overlap = text;
    overlap.replace(pos, 20, R"(tue: ["12:00-18:00", "08:00-12:01"])");
    CHECK(findings(overlap) ==
          std::vector<std::string>{"error dealers[d1].working_hours.tue: 08:00-12:01 and "
                                   "12:00-18:00 overlap"});
}

TEST_CASE("§9 warnings: pool with other receivers, pool user without supervisor", "[check]") {
    auto lines = findings(
        with_dealer("    fallback_user: b\n    pool: {enabled: true, user: a}\n" + three_users));
    CHECK(mentions(lines, "warning dealers[d1].pool.enabled: users with receives_leads (b, c) "
                          "share the rotation with the pool user"));
    CHECK(mentions(lines, "warning dealers[d1].users[a].supervisor: the pool user has no "
                          "supervisor"));
    CHECK_FALSE(core::has_errors(
        config::load_config_text(with_dealer("    fallback_user: b\n    pool: {enabled: "
                                             "true, user: a}\n" +
                                             three_users),
                                 "t.yaml")
            .diagnostics));
}

TEST_CASE("§9 warnings: a pool alone is not solo distribution", "[check]") {
    auto lines = findings(with_dealer(R"(    fallback_user: b
    pool: {enabled: true, user: p}
    users:
      - {id: a, email: a@d1.example}
      - {id: b, email: b@d1.example, assignable: true}
      - {id: boss, email: boss@d1.example}
      - {id: p, email: p@d1.example, supervisor: boss}
)"));
    CHECK(lines.empty());
}

TEST_CASE("§9 warnings: solo distribution in the rotation and in a group", "[check]") {
    auto rotation = findings(with_dealer(R"(    fallback_user: b
    users:
      - {id: a, email: a@d1.example}
      - {id: b, email: b@d1.example, receives_leads: true, assignable: true}
)"));
    CHECK(rotation == std::vector<std::string>{
                          "warning dealers[d1].users[b].receives_leads: solo distribution: only "
                          "\"b\" receives leads; while absent, every lead goes to the fallback or "
                          "admin account"});
    auto group = findings(with_dealer("    fallback_user: b\n    groups: [{id: g, match: "
                                      "{make: BMW}, members: [b]}]\n" +
                                      three_users));
    CHECK(group == std::vector<std::string>{"warning dealers[d1].groups[g].members: solo "
                                            "distribution: the group has a single member "
                                            "receiving leads"});
}

TEST_CASE("§9 warnings: no working hours, reminder >= level 1, receiver not assignable, no "
          "fallback",
          "[check]") {
    std::string text = with_dealer(R"(    escalation: {level1: 1h, reminder: 90m}
    users:
      - {id: a, email: a@d1.example}
      - {id: b, email: b@d1.example, receives_leads: true}
      - {id: c, email: c@d1.example, receives_leads: true, assignable: true}
)");
    const std::string hours = "    working_hours: {mon: [\"08:00-18:00\"]}\n";
    text.replace(text.find(hours), hours.size(), "");
    auto lines = findings(text);
    // Sorted by position; absent keys sit at their dealer's line.
    CHECK(lines == std::vector<std::string>{
                       "warning dealers[d1].fallback_user: no fallback user: leads nobody can "
                       "take go to the admin account",
                       "warning dealers[d1].working_hours: no working hours at all: level 1 "
                       "would never fire and notices never go out",
                       "warning dealers[d1].escalation.reminder: the reminder (1h30m) is not "
                       "shorter than level 1 (1h), so it falls before the lead arrives and is "
                       "skipped",
                       "warning dealers[d1].users[b].assignable: \"b\" receives leads but is not "
                       "assignable"});
}

TEST_CASE("reminder 0 means no reminder and is not warned about", "[check]") {
    auto lines = findings(with_dealer("    fallback_user: b\n    escalation: {level1: 1h, "
                                      "reminder: 0}\n" +
                                      three_users));
    CHECK(lines.empty());
}
