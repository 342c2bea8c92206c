// SPEC §6 branch by branch. Each case names the seed sentence it checks.
#include "config/loader.hpp"
#include "core/assignment.hpp"
#include "util/json.hpp"

#include <catch2/catch.hpp>
#include <map>

using namespace lr;
using core::ContactHistory;
using core::Decision;
using core::LeadFacts;

namespace {

std::shared_ptr<const core::Config> load(const std::string& dealer_body) {
    auto loaded = config::load_config_text(R"(system:
  database: "dbname=x"
  automanager_url: "https://am.example/leads/"
dealers:
  - id: d
    locations: [{id: hh, mailbox: d@dein.auto}, {id: ki, mailbox: ki@dein.auto}]
    admin_user: admin
)" + dealer_body,
                                           "t.yaml");
    for (const auto& d : loaded.diagnostics)
        INFO(core::format_diagnostic(d));
    REQUIRE(loaded.config);
    return loaded.config;
}

const std::string team = R"(    users:
      - {id: anna, email: anna@d.example, receives_leads: true, assignable: true, supervisor: boss}
      - {id: ben, email: ben@d.example, receives_leads: true, assignable: true}
      - {id: cem, email: cem@d.example, receives_leads: true, assignable: true}
      - {id: dora, email: dora@d.example, receives_leads: false, assignable: true}
      - {id: zentrale, email: z@d.example, assignable: true}
      - {id: boss, email: boss@d.example, assignable: true}
      - {id: admin, email: admin@d.example, assignable: true}
)";

LeadFacts plain_lead() {
    return LeadFacts{"lead", "email", "hh", std::nullopt, std::nullopt};
}

struct Rotation {
    explicit Rotation(std::shared_ptr<const core::Config> loaded) : config(std::move(loaded)) {}
    std::shared_ptr<const core::Config> config;
    core::RotationCursors cursors;
    std::set<std::string> absent;

    Decision next(const LeadFacts& lead = plain_lead(), const ContactHistory& history = {}) {
        return core::decide_assignment(config->dealers[0], lead, history, absent, cursors);
    }
    std::vector<std::string> users(int n, const LeadFacts& lead = plain_lead()) {
        std::vector<std::string> out;
        for (int i = 0; i < n; ++i)
            out.push_back(next(lead).user);
        return out;
    }
};

} // namespace

TEST_CASE("rotation: 'erhält rollierend Anfragen' - strict round-robin in config order",
          "[assignment]") {
    Rotation rotation{load("    fallback_user: zentrale\n" + team)};
    CHECK(rotation.users(7) ==
          std::vector<std::string>{"anna", "ben", "cem", "anna", "ben", "cem", "anna"});
    auto decision = rotation.next();
    CHECK(decision.rule == "rotation");
    REQUIRE(decision.turn);
    CHECK(decision.turn->scope == "general");
    CHECK(decision.turn->cursor_before == "anna");
    CHECK(decision.turn->cursor_after == "ben");
}

TEST_CASE("rotation: 'und der Nutzer nicht abwesend gemeldet ist' - absent users are skipped "
          "with their reason",
          "[assignment]") {
    Rotation rotation{load("    fallback_user: zentrale\n" + team)};
    rotation.absent = {"ben"};
    CHECK(rotation.users(4) == std::vector<std::string>{"anna", "cem", "anna", "cem"});
    rotation.absent.clear();
    auto decision = rotation.next(); // after cem: dora, zentrale, boss, admin are not receiving
    CHECK(decision.user == "anna");
    REQUIRE(decision.turn);
    std::vector<std::pair<std::string, std::string>> seen;
    for (const auto& candidate : decision.turn->considered)
        seen.emplace_back(candidate.user,
                          candidate.skipped ? core::to_string(*candidate.skipped) : "picked");
    CHECK(seen ==
          std::vector<std::pair<std::string, std::string>>{{"dora", "not receiving leads"},
                                                           {"zentrale", "not receiving leads"},
                                                           {"boss", "not receiving leads"},
                                                           {"admin", "not receiving leads"},
                                                           {"anna", "picked"}});
}

TEST_CASE("rotation: k eligible users and n leads give each floor(n/k) or ceil(n/k), from "
          "any cursor",
          "[assignment]") {
    for (int start = 0; start < 3; ++start)
        for (int n = 0; n < 20; ++n) {
            Rotation rotation{load("    fallback_user: zentrale\n" + team)};
            rotation.users(start);
            std::map<std::string, int> counts;
            for (const auto& user : rotation.users(n))
                ++counts[user];
            for (const char* user : {"anna", "ben", "cem"}) {
                INFO("start " << start << ", n " << n << ", " << user);
                CHECK(counts[user] >= n / 3);
                CHECK(counts[user] <= (n + 2) / 3);
            }
        }
}

TEST_CASE("rotation: a user who receives leads but is not assignable is skipped", "[assignment]") {
    Rotation rotation{load(R"(    fallback_user: zentrale
    users:
      - {id: anna, email: anna@d.example, receives_leads: true, assignable: false}
      - {id: ben, email: ben@d.example, receives_leads: true, assignable: true}
      - {id: zentrale, email: z@d.example, assignable: true}
      - {id: admin, email: admin@d.example, assignable: true}
)")};
    auto decision = rotation.next();
    CHECK(decision.user == "ben");
    CHECK(decision.turn->considered.front().skipped == core::SkipReason::not_assignable);
}

TEST_CASE("existing contact with an open lead: the message is attached to that lead",
          "[assignment]") {
    Rotation rotation{
        load("    fallback_user: zentrale\n    distribute_existing_contacts: true\n" + team)};
    auto decision = rotation.next(plain_lead(), ContactHistory{41, "cem", "cem"});
    CHECK(decision.action == Decision::Action::attach);
    CHECK(decision.attach_to == 41);
    CHECK(decision.user == "cem");
    CHECK(decision.rule == "attached");
    CHECK(rotation.cursors.empty()); // the rotation did not move
}

TEST_CASE("'Folgeanfragen bekannter Interessenten gehen außerhalb der eingerichteten "
          "Verteilung an den zugewiesenen Nutzer'",
          "[assignment]") {
    Rotation rotation{load("    fallback_user: zentrale\n" + team)};
    auto decision = rotation.next(plain_lead(), ContactHistory{std::nullopt, std::nullopt, "cem"});
    CHECK(decision.action == Decision::Action::assign);
    CHECK(decision.user == "cem");
    CHECK(decision.rule == "existing_contact");
    CHECK(rotation.cursors.empty());
    // The rotation continues where it was: anna is next.
    CHECK(rotation.next().user == "anna");
}

TEST_CASE("known contact whose last assignee is absent or not assignable goes into the "
          "distribution",
          "[assignment]") {
    Rotation rotation{load("    fallback_user: zentrale\n" + team)};
    rotation.absent = {"cem"};
    auto decision = rotation.next(plain_lead(), ContactHistory{std::nullopt, std::nullopt, "cem"});
    CHECK(decision.rule == "rotation");
    CHECK(decision.user == "anna");
    CHECK(decision.notes == std::vector<std::string>{"known contact: last assignee cem is absent"});
}

TEST_CASE("'Falls die Checkbox gesetzt ist, laufen Folgeanfragen in die normale Verteilung'",
          "[assignment]") {
    Rotation rotation{
        load("    fallback_user: zentrale\n    distribute_existing_contacts: true\n" + team)};
    auto decision = rotation.next(plain_lead(), ContactHistory{std::nullopt, std::nullopt, "cem"});
    CHECK(decision.rule == "rotation");
    CHECK(decision.user == "anna");
}

TEST_CASE("pool: 'Falls die Pool Lösung aktiviert wird' every lead goes to the pool user",
          "[assignment]") {
    Rotation rotation{load(R"(    fallback_user: zentrale
    pool: {enabled: true, user: pool}
    users:
      - {id: anna, email: anna@d.example, assignable: true}
      - {id: pool, email: pool@d.example, supervisor: boss}
      - {id: zentrale, email: z@d.example, assignable: true}
      - {id: boss, email: boss@d.example, assignable: true}
      - {id: admin, email: admin@d.example, assignable: true}
)")};
    for (const auto& decision : {rotation.next(), rotation.next(), rotation.next()}) {
        CHECK(decision.user == "pool");
        CHECK(decision.rule == "pool");
    }
}

TEST_CASE("pool: 'ansonsten werden die Anfragen rollierend zwischen dem Pool Nutzer und den "
          "Verkäufern mit aktivierter Checkbox verteilt'",
          "[assignment]") {
    Rotation rotation{load(R"(    fallback_user: zentrale
    pool: {enabled: true, user: pool}
    users:
      - {id: anna, email: anna@d.example, receives_leads: true, assignable: true}
      - {id: pool, email: pool@d.example, supervisor: boss}
      - {id: ben, email: ben@d.example, receives_leads: true, assignable: true}
      - {id: zentrale, email: z@d.example, assignable: true}
      - {id: boss, email: boss@d.example, assignable: true}
      - {id: admin, email: admin@d.example, assignable: true}
)")};
    CHECK(rotation.users(6) ==
          std::vector<std::string>{"anna", "pool", "ben", "anna", "pool", "ben"});
    CHECK(rotation.next().rule == "rotation");
    CHECK(rotation.next().rule == "pool");
}

TEST_CASE("groups: the first group in config order whose match fits distributes among its "
          "members",
          "[assignment]") {
    Rotation rotation{load(R"(    fallback_user: zentrale
    groups:
      - {id: bmw-kiel, match: {location: ki, make: bmw}, members: [cem]}
      - {id: neuwagen, match: {condition: new}, members: [anna, ben]}
      - {id: ankauf, match: {kind: tradein, source: [website, email]}, members: [dora, cem]}
)" + team.substr(0, team.find("      - {id: dora")) +
                           "      - {id: dora, email: dora@d.example, receives_leads: true, "
                           "assignable: true}\n" +
                           team.substr(team.find("      - {id: zentrale")))};
    LeadFacts new_bmw_kiel{"lead", "mobile.de", "ki", "new", "BMW"};
    auto first = rotation.next(new_bmw_kiel);
    CHECK(first.rule == "group:bmw-kiel");
    CHECK(first.user == "cem");

    LeadFacts new_vw{"lead", "mobile.de", "hh", "new", "VW"};
    CHECK(rotation.users(3, new_vw) == std::vector<std::string>{"anna", "ben", "anna"});
    CHECK(rotation.next(new_vw).rule == "group:neuwagen");

    LeadFacts tradein{"tradein", "website", "hh", std::nullopt, std::nullopt};
    CHECK(rotation.users(2, tradein) == std::vector<std::string>{"dora", "cem"});

    // A used car from a marketplace matches no group: the general rotation.
    LeadFacts used{"lead", "mobile.de", "hh", "used", "VW"};
    auto general = rotation.next(used);
    CHECK(general.rule == "rotation");
    CHECK(general.turn->scope == "general");
    // Groups keep their own cursors.
    CHECK(rotation.cursors.at("group:neuwagen") == "ben");
    CHECK(rotation.cursors.at("general") == general.user);
}

TEST_CASE("a lead without the matched value (no condition known) does not match the group",
          "[assignment]") {
    Rotation rotation{load("    fallback_user: zentrale\n    groups: [{id: neu, match: "
                           "{condition: new}, members: [anna, ben]}]\n" +
                           team)};
    CHECK(rotation.next(plain_lead()).rule == "rotation");
}

TEST_CASE("'Bei Abwesenheit dieser Personen ... gehen pauschal an das Administratorkonto': "
          "fallback, then admin",
          "[assignment]") {
    Rotation rotation{load("    fallback_user: zentrale\n    groups: [{id: neu, match: "
                           "{condition: new}, members: [anna]}]\n" +
                           team)};
    LeadFacts new_car{"lead", "email", "hh", "new", std::nullopt};
    rotation.absent = {"anna"};
    auto fallback = rotation.next(new_car);
    CHECK(fallback.user == "zentrale");
    CHECK(fallback.rule == "fallback");
    CHECK(fallback.notes == std::vector<std::string>{"nobody eligible in group:neu"});

    rotation.absent = {"anna", "zentrale"};
    auto admin = rotation.next(new_car);
    CHECK(admin.user == "admin");
    CHECK(admin.rule == "admin");
}

TEST_CASE("no fallback user configured: straight to the admin account", "[assignment]") {
    Rotation rotation{load(team)};
    rotation.absent = {"anna", "ben", "cem"};
    auto decision = rotation.next();
    CHECK(decision.user == "admin");
    CHECK(decision.rule == "admin");
}

TEST_CASE("substitutes do not take part in distribution", "[assignment]") {
    Rotation rotation{load(R"(    fallback_user: zentrale
    users:
      - {id: anna, email: anna@d.example, receives_leads: true, assignable: true, substitute: sub}
      - {id: sub, email: sub@d.example, assignable: true}
      - {id: zentrale, email: z@d.example, assignable: true}
      - {id: admin, email: admin@d.example, assignable: true}
)")};
    rotation.absent = {"anna"};
    CHECK(rotation.next().user == "zentrale");
}

TEST_CASE("a cursor naming a user no longer configured restarts at the top", "[assignment]") {
    Rotation rotation{load("    fallback_user: zentrale\n" + team)};
    rotation.cursors["general"] = "gone";
    CHECK(rotation.next().user == "anna");
}

TEST_CASE("the audit explanation is JSON with rule, candidates and cursors", "[assignment]") {
    Rotation rotation{load("    fallback_user: zentrale\n" + team)};
    rotation.absent = {"anna"};
    CHECK(lr::Json::parse(core::decision_json(rotation.next())) ==
          lr::Json::parse(
              "{\"action\": \"assign\", \"rule\": \"rotation\", \"user\": \"ben\", \"notes\": [], "
              "\"scope\": \"general\", \"cursor_before\": null, \"cursor_after\": \"ben\", "
              "\"candidates\": [{\"user\": \"anna\", \"skipped\": \"absent\"}, {\"user\": \"ben\", "
              "\"skipped\": null}]}"));
}
