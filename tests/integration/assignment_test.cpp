// SPEC §6 against the real PostgreSQL: the batch statements, the audit
// trail, persistent cursors, contacts and absences.
#include "config/loader.hpp"
#include "lead_seed.hpp"
#include "process.hpp"
#include "store/assignment_run.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <thread>

using namespace lr;

namespace {

std::shared_ptr<const core::Config> example_config() {
    auto loaded =
        config::load_config_file(std::string(LEADROUTER_SPEC_DIR) + "/config-example.yaml");
    REQUIRE(loaded.config);
    return loaded.config;
}

std::shared_ptr<const core::Config> config_from(const std::string& file) {
    auto loaded = config::load_config_file(file);
    REQUIRE(loaded.config);
    return loaded.config;
}

store::BatchStats assign(const test::TestDatabase& db, int limit = 1000,
                         std::shared_ptr<const core::Config> config = example_config()) {
    auto connection = db.connect();
    auto stats = store::run_assignment_batch(
        connection, config, limit,
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()),
        "test");
    INFO((stats ? "" : stats.error().message));
    REQUIRE(stats);
    return *stats;
}

std::string assignee(const test::TestDatabase& db, long long lead) {
    return db
        .exec("SELECT coalesce(assignee, '-') || '/' || state || '/' || "
              "coalesce(assigned_rule, '-') FROM leads WHERE id = $1",
              {std::to_string(lead)})
        .text(0, 0);
}

} // namespace

TEST_CASE("leadd's batch assigns new leads by rotation and writes the audit trail",
          "[assignment][db]") {
    test::TestDatabase db;
    std::vector<long long> leads;
    for (int i = 0; i < 4; ++i)
        leads.push_back(
            test::add_lead(db, {.email = "kunde" + std::to_string(i) + "@example.org"}));
    auto stats = assign(db);
    CHECK(stats.claimed == 4);
    CHECK(stats.assigned == 4);
    CHECK(assignee(db, leads[0]) == "schmidt/assigned/rotation");
    CHECK(assignee(db, leads[1]) == "weber/assigned/rotation");
    CHECK(assignee(db, leads[2]) == "yilmaz/assigned/rotation");
    CHECK(assignee(db, leads[3]) == "schmidt/assigned/rotation");

    auto audit = db.exec("SELECT user_id, rule, explanation->>'cursor_before', "
                         "explanation->>'cursor_after', jsonb_array_length(explanation->"
                         "'candidates'), actor FROM assignments WHERE lead_id = $1",
                         {std::to_string(leads[2])});
    REQUIRE(audit.size() == 1);
    CHECK(audit.text(0, 0) == "yilmaz");
    CHECK(audit.text(0, 1) == "rotation");
    CHECK(audit.text(0, 2) == "weber");
    CHECK(audit.text(0, 3) == "yilmaz");
    CHECK(audit.integer(0, 4) == 1);
    CHECK(audit.text(0, 5) == "test");
}

TEST_CASE("the rotation cursor survives between batches (and restarts)", "[assignment][db]") {
    test::TestDatabase db;
    auto first = test::add_lead(db, {.email = "a@example.org"});
    assign(db);
    auto second = test::add_lead(db, {.email = "b@example.org"});
    assign(db);
    CHECK(assignee(db, first) == "schmidt/assigned/rotation");
    CHECK(assignee(db, second) == "weber/assigned/rotation");
    CHECK(db.exec("SELECT last_user, turns FROM rotation_cursors WHERE dealer_id = 'mueller' "
                  "AND scope = 'general'")
              .text(0, 0) == "weber");
}

TEST_CASE("a second lead of a contact with an open lead is attached to it, with its messages",
          "[assignment][db]") {
    test::TestDatabase db;
    auto first = test::add_lead(db, {.email = "jana@example.org"});
    assign(db);
    auto second = test::add_lead(db, {.email = "jana@example.org", .phone = "+4917612345678"});
    db.exec("INSERT INTO messages (dealer_id, kind, lead_id) VALUES ('mueller', 'lead', $1)",
            {std::to_string(second)});
    auto stats = assign(db);
    CHECK(stats.attached == 1);
    CHECK(assignee(db, second) == "schmidt/merged/attached");
    CHECK(db.exec("SELECT merged_into FROM leads WHERE id = $1", {std::to_string(second)})
              .integer(0, 0) == first);
    CHECK(db.exec("SELECT lead_id FROM messages").integer(0, 0) == first);
    // A third one found by the phone number alone attaches to the first too.
    auto third = test::add_lead(db, {.phone = "+4917612345678"});
    assign(db);
    CHECK(db.exec("SELECT merged_into FROM leads WHERE id = $1", {std::to_string(third)})
              .integer(0, 0) == first);
    // The rotation did not move for the attached ones.
    CHECK(test::add_lead(db, {.email = "other@example.org"}) > 0);
    assign(db);
    CHECK(db.exec("SELECT last_user FROM rotation_cursors WHERE scope = 'general'").text(0, 0) ==
          "weber");
}

TEST_CASE("two leads of one new contact in the same batch: the second attaches to the first",
          "[assignment][db]") {
    test::TestDatabase db;
    auto first = test::add_lead(db, {.email = "same@example.org"});
    auto second = test::add_lead(db, {.email = "same@example.org"});
    assign(db);
    CHECK(assignee(db, first) == "schmidt/assigned/rotation");
    CHECK(assignee(db, second) == "schmidt/merged/attached");
}

TEST_CASE("a known contact without an open lead goes back to the last assignee",
          "[assignment][db]") {
    test::TestDatabase db;
    test::add_lead(db, {.email = "x@example.org"});
    auto earlier = test::add_lead(db, {.email = "stamm@example.org"});
    assign(db); // x → schmidt, stamm → weber
    db.exec("UPDATE leads SET state = 'closed' WHERE id = $1", {std::to_string(earlier)});
    auto again = test::add_lead(db, {.email = "stamm@example.org"});
    assign(db);
    CHECK(assignee(db, again) == "weber/assigned/existing_contact");
}

TEST_CASE("absences in the database are skipped by the rotation", "[assignment][db]") {
    test::TestDatabase db;
    db.exec("INSERT INTO absences (dealer_id, user_id, starts_at, ends_at) VALUES "
            "('mueller', 'weber', now() - interval '1 hour', now() + interval '1 hour')");
    std::vector<long long> leads;
    for (int i = 0; i < 3; ++i)
        leads.push_back(test::add_lead(db, {.email = "k" + std::to_string(i) + "@example.org"}));
    assign(db);
    CHECK(assignee(db, leads[0]) == "schmidt/assigned/rotation");
    CHECK(assignee(db, leads[1]) == "yilmaz/assigned/rotation");
    CHECK(assignee(db, leads[2]) == "schmidt/assigned/rotation");
    CHECK(db.exec("SELECT explanation->'candidates'->0->>'skipped' FROM assignments WHERE "
                  "lead_id = $1",
                  {std::to_string(leads[1])})
              .text(0, 0) == "absent");
}

TEST_CASE("new cars go to the group neuwagen with its own cursor", "[assignment][db]") {
    test::TestDatabase db;
    auto a = test::add_lead(db, {.email = "n1@example.org", .condition = "new"});
    auto b = test::add_lead(db, {.email = "n2@example.org", .condition = "new"});
    auto c = test::add_lead(db, {.email = "u1@example.org", .condition = "used"});
    assign(db);
    CHECK(assignee(db, a) == "schmidt/assigned/group:neuwagen");
    CHECK(assignee(db, b) == "weber/assigned/group:neuwagen");
    CHECK(assignee(db, c) == "schmidt/assigned/rotation");
}

TEST_CASE("leads of a dealer that is not configured are left untouched", "[assignment][db]") {
    test::TestDatabase db;
    auto stray = test::add_lead(db, {.dealer = "gone", .email = "g@example.org"});
    auto stats = assign(db);
    CHECK(stats.claimed == 0);
    CHECK(assignee(db, stray) == "-/new/-");
}

TEST_CASE("concurrent batches on separate connections never assign a lead twice or skip a "
          "slot",
          "[assignment][db]") {
    test::TestDatabase db;
    test::add_leads_bulk(db, "mueller", 600);
    auto worker = [&] {
        auto connection = db.connect();
        for (;;) {
            auto stats =
                store::run_assignment_batch(connection, example_config(), 25,
                                            std::chrono::time_point_cast<std::chrono::seconds>(
                                                std::chrono::system_clock::now()),
                                            "worker");
            REQUIRE(stats);
            if (stats->claimed == 0)
                return;
        }
    };
    std::thread one(worker);
    std::thread two(worker);
    one.join();
    two.join();
    CHECK(db.exec("SELECT count(*) FROM leads WHERE state = 'new'").integer(0, 0) == 0);
    CHECK(db.exec("SELECT count(*) FROM assignments").integer(0, 0) == 600);
    CHECK(db.exec("SELECT count(DISTINCT lead_id) FROM assignments").integer(0, 0) == 600);
    auto counts = db.exec("SELECT assignee, count(*) FROM leads GROUP BY assignee ORDER BY 1");
    REQUIRE(counts.size() == 3);
    for (int i = 0; i < 3; ++i)
        CHECK(counts.integer(i, 1) == 200);
}

TEST_CASE("pool: every lead goes to the pool user, rule pool", "[assignment][db]") {
    test::TestDatabase db;
    auto config = config_from(test::fixture_path("config/valid/pool.yaml"));
    std::vector<long long> leads;
    for (int i = 0; i < 3; ++i)
        leads.push_back(test::add_lead(db, {.dealer = "pooldealer",
                                            .email = "p" + std::to_string(i) + "@ex.org",
                                            .location = "main"}));
    assign(db, 1000, config);
    for (auto lead : leads)
        CHECK(assignee(db, lead) == "pool/assigned/pool");
}

TEST_CASE("pool plus receivers: the pool user is one more member of the rotation",
          "[assignment][db]") {
    test::TestDatabase db;
    std::string text = test::read_text_file(test::fixture_path("config/valid/pool.yaml"));
    auto at = text.find("{id: anna, email: anna@pool-dealer.example, assignable: true}");
    REQUIRE(at != std::string::npos);
    text.replace(at, 61,
                 "{id: anna, email: anna@pool-dealer.example, assignable: true, "
                 "receives_leads: true}");
    auto loaded = config::load_config_text(text, "pool-plus.yaml");
    REQUIRE(loaded.config);
    std::vector<long long> leads;
    for (int i = 0; i < 4; ++i)
        leads.push_back(test::add_lead(db, {.dealer = "pooldealer",
                                            .email = "q" + std::to_string(i) + "@ex.org",
                                            .location = "main"}));
    assign(db, 1000, loaded.config);
    CHECK(assignee(db, leads[0]) == "pool/assigned/pool");
    CHECK(assignee(db, leads[1]) == "anna/assigned/rotation");
    CHECK(assignee(db, leads[2]) == "pool/assigned/pool");
    CHECK(assignee(db, leads[3]) == "anna/assigned/rotation");
}

TEST_CASE("nobody eligible: the fallback user, and when absent the admin account",
          "[assignment][db]") {
    test::TestDatabase db;
    db.exec("INSERT INTO absences (dealer_id, user_id, starts_at, ends_at) SELECT 'mueller', u, "
            "now() - interval '1 hour', now() + interval '1 hour' FROM unnest(ARRAY['schmidt', "
            "'weber', 'yilmaz']) u");
    auto first = test::add_lead(db, {.email = "f1@ex.org"});
    assign(db);
    CHECK(assignee(db, first) == "zentrale/assigned/fallback");
    db.exec("INSERT INTO absences (dealer_id, user_id, starts_at, ends_at) VALUES ('mueller', "
            "'zentrale', now() - interval '1 hour', now() + interval '1 hour')");
    auto second = test::add_lead(db, {.email = "f2@ex.org"});
    assign(db);
    CHECK(assignee(db, second) == "admin/assigned/admin");
    CHECK(db.exec("SELECT explanation->'notes'->>1 FROM assignments WHERE lead_id = $1",
                  {std::to_string(second)})
              .text(0, 0) == "fallback user zentrale is absent");
}

TEST_CASE("distribute_existing_contacts: true sends a known contact into the rotation",
          "[assignment][db]") {
    test::TestDatabase db;
    std::string text =
        test::read_text_file(std::string(LEADROUTER_SPEC_DIR) + "/config-example.yaml");
    auto at = text.find("distribute_existing_contacts: false");
    REQUIRE(at != std::string::npos);
    text.replace(at, 35, "distribute_existing_contacts: true");
    auto loaded = config::load_config_text(text, "distribute.yaml");
    REQUIRE(loaded.config);
    auto earlier = test::add_lead(db, {.email = "stamm@ex.org"});
    assign(db, 1000, loaded.config); // schmidt
    db.exec("UPDATE leads SET state = 'closed' WHERE id = $1", {std::to_string(earlier)});
    auto again = test::add_lead(db, {.email = "stamm@ex.org"});
    assign(db, 1000, loaded.config);
    CHECK(assignee(db, again) == "weber/assigned/rotation");
}
