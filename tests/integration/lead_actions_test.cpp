// leadctl's lead actions against the real PostgreSQL: claim (pool,
// oldest_only, races), respond, reassign, close, absences, the lead list
// with its due state, and the audit trail.
#include "lead_seed.hpp"
#include "leadctl_run.hpp"
#include "process.hpp"
#include "util/json.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <sstream>
#include <thread>

using namespace lr;

namespace {

const std::string example = std::string(LEADROUTER_SPEC_DIR) + "/config-example.yaml";
const std::string pool_config = test::fixture_path("config/valid/pool.yaml");

test::CliRun leadctl(const test::TestDatabase& db, const std::string& config,
                     std::vector<std::string> args) {
    args.insert(args.end(), {"--config", config, "--database", db.conninfo()});
    return test::run_leadctl(args);
}

long long pool_lead(const test::TestDatabase& db, const std::string& dealer, const char* received) {
    auto id = test::add_lead(db, {.dealer = dealer,
                                  .email = std::string(received) + "@ex.org",
                                  .location = "main",
                                  .state = "assigned",
                                  .assignee = "pool"});
    db.exec("UPDATE leads SET received_at = $2 WHERE id = $1", {std::to_string(id), received});
    return id;
}

std::string state(const test::TestDatabase& db, long long lead) {
    return db
        .exec("SELECT state || '/' || coalesce(assignee, '-') FROM leads WHERE id = $1",
              {std::to_string(lead)})
        .text(0, 0);
}

void pending_event(const test::TestDatabase& db, long long lead, const std::string& kind,
                   const std::string& due) {
    db.exec("INSERT INTO scheduled_events (lead_id, kind, anchor_at, due_at, send_at, addressee) "
            "VALUES ($1, $2, now(), $3, $3, 'x')",
            {std::to_string(lead), kind, due});
}

long long pending_count(const test::TestDatabase& db, long long lead) {
    return db
        .exec("SELECT count(*) FROM scheduled_events WHERE lead_id = $1 AND state = "
              "'pending'",
              {std::to_string(lead)})
        .integer(0, 0);
}

} // namespace

TEST_CASE("claim without --lead takes the oldest pool lead", "[claim]") {
    test::TestDatabase db;
    auto newer = pool_lead(db, "pooldealer", "2026-11-02T10:00:00Z");
    auto oldest = pool_lead(db, "pooldealer", "2026-11-01T10:00:00Z");
    auto run = leadctl(db, pool_config, {"claim", "--user", "anna", "--dealer", "pooldealer"});
    INFO(run.err);
    CHECK(run.rc == 0);
    CHECK(run.out == "lead " + std::to_string(oldest) + ": claimed by anna\n");
    CHECK(state(db, oldest) == "assigned/anna");
    CHECK(state(db, newer) == "assigned/pool");
    CHECK(db.exec("SELECT rule || ':' || user_id || ':' || actor FROM assignments WHERE lead_id "
                  "= $1",
                  {std::to_string(oldest)})
              .text(0, 0) == "claim:anna:leadctl");
}

TEST_CASE("pool.oldest_only: claiming any but the oldest is refused with a clear message",
          "[claim]") {
    test::TestDatabase db;
    auto oldest = pool_lead(db, "pooldealer", "2026-11-01T10:00:00Z");
    auto newer = pool_lead(db, "pooldealer", "2026-11-02T10:00:00Z");
    auto run =
        leadctl(db, pool_config, {"claim", "--user", "anna", "--lead", std::to_string(newer)});
    CHECK(run.rc == 1);
    CHECK(run.err == "leadctl claim: only the oldest pool lead may be claimed "
                     "(pool.oldest_only): that is lead " +
                         std::to_string(oldest) + "\n");
    CHECK(state(db, newer) == "assigned/pool");
    // Without oldest_only any pool lead may be claimed.
    pool_lead(db, "free", "2026-11-01T10:00:00Z");
    auto any = pool_lead(db, "free", "2026-11-02T10:00:00Z");
    CHECK(leadctl(db, pool_config, {"claim", "--user", "anna", "--lead", std::to_string(any)}).rc ==
          0);
    CHECK(state(db, any) == "assigned/anna");
}

TEST_CASE("claim is refused for users who are not assignable, and without a pool", "[claim]") {
    test::TestDatabase db;
    pool_lead(db, "pooldealer", "2026-11-01T10:00:00Z");
    auto run = leadctl(db, pool_config, {"claim", "--user", "azubi", "--dealer", "pooldealer"});
    CHECK(run.rc == 1);
    CHECK(run.err == "leadctl claim: user azubi is not assignable (assignable: false)\n");
    auto no_pool = leadctl(db, example, {"claim", "--user", "weber", "--dealer", "mueller"});
    CHECK(no_pool.rc == 1);
    CHECK(no_pool.err == "leadctl claim: dealer mueller has no pool (pool.enabled: false)\n");
}

TEST_CASE("two users claiming the same lead at once: exactly one wins", "[claim]") {
    test::TestDatabase db;
    for (int round = 0; round < 5; ++round) {
        auto lead =
            pool_lead(db, "free", ("2026-11-0" + std::to_string(round + 1) + "T10:00:00Z").c_str());
        std::atomic<int> wins{0};
        std::atomic<int> refusals{0};
        std::vector<std::thread> claimers;
        for (const char* user : {"anna", "zentrale", "anna", "zentrale"})
            claimers.emplace_back([&, user] {
                auto run = leadctl(db, pool_config,
                                   {"claim", "--user", user, "--lead", std::to_string(lead)});
                if (run.rc == 0)
                    ++wins;
                else if (run.err.find("is not in the pool (already with ") != std::string::npos)
                    ++refusals;
            });
        for (auto& thread : claimers)
            thread.join();
        CHECK(wins == 1);
        CHECK(refusals == 3);
        CHECK(db.exec("SELECT count(*) FROM assignments WHERE lead_id = $1 AND rule = 'claim'",
                      {std::to_string(lead)})
                  .integer(0, 0) == 1);
    }
}

TEST_CASE("respond records the reaction and cancels pending reminders and escalations",
          "[respond]") {
    test::TestDatabase db;
    auto lead = test::add_lead(db, {.email = "r@ex.org", .state = "assigned", .assignee = "weber"});
    pending_event(db, lead, "reminder", "2030-01-01T10:00:00Z");
    pending_event(db, lead, "level1", "2030-01-01T11:00:00Z");
    auto run = leadctl(db, example, {"respond", "--lead", std::to_string(lead), "--user", "weber"});
    INFO(run.err);
    CHECK(run.rc == 0);
    CHECK(run.out == "lead " + std::to_string(lead) + ": reaction recorded (assignee weber)\n");
    CHECK(state(db, lead) == "responded/weber");
    CHECK(pending_count(db, lead) == 0);
    CHECK(db.exec("SELECT responded_by FROM leads WHERE id = $1", {std::to_string(lead)})
              .text(0, 0) == "weber");
    auto unknown = leadctl(db, example, {"respond", "--lead", std::to_string(lead), "--user", "x"});
    CHECK(unknown.rc == 1);
    CHECK(unknown.err == "leadctl respond: dealer mueller has no user \"x\"\n");
}

TEST_CASE("reassign gives the lead to another user, audited, and restarts the chain",
          "[reassign]") {
    test::TestDatabase db;
    auto lead = test::add_lead(db, {.email = "r@ex.org", .state = "assigned", .assignee = "weber"});
    pending_event(db, lead, "level1", "2030-01-01T11:00:00Z");
    auto run =
        leadctl(db, example, {"reassign", "--lead", std::to_string(lead), "--user", "yilmaz"});
    CHECK(run.rc == 0);
    CHECK(state(db, lead) == "assigned/yilmaz");
    // The old chain is cancelled; a new one (chain 1) runs for yilmaz.
    CHECK(db.exec("SELECT count(*) FROM scheduled_events WHERE lead_id = $1 AND chain = 0 AND "
                  "state = 'cancelled'",
                  {std::to_string(lead)})
              .integer(0, 0) == 1);
    CHECK(db.exec("SELECT string_agg(kind || '>' || addressee, ' ' ORDER BY id) FROM "
                  "scheduled_events WHERE lead_id = $1 AND chain = 1 AND state = 'pending'",
                  {std::to_string(lead)})
              .text(0, 0) == "assignment_notice>yilmaz reminder>yilmaz level1>yilmaz level2>mayer");
    auto why = leadctl(db, example, {"why", "--lead", std::to_string(lead)});
    CHECK(why.rc == 0);
    CHECK(why.out.find("  reassign → yilmaz  by leadctl\n  taken from weber\n") !=
          std::string::npos);
    // The pool account of the example is not assignable.
    auto refused =
        leadctl(db, example, {"reassign", "--lead", std::to_string(lead), "--user", "pool"});
    CHECK(refused.rc == 1);
    CHECK(refused.err == "leadctl reassign: user pool is not assignable (assignable: false)\n");
}

TEST_CASE("close ends the lead, closing twice says it is closed", "[close]") {
    test::TestDatabase db;
    auto lead = test::add_lead(db, {.email = "c@ex.org", .state = "assigned", .assignee = "weber"});
    pending_event(db, lead, "level2", "2030-01-01T11:00:00Z");
    CHECK(leadctl(db, example, {"close", "--lead", std::to_string(lead)}).rc == 0);
    CHECK(state(db, lead) == "closed/weber");
    CHECK(pending_count(db, lead) == 0);
    auto again = leadctl(db, example, {"close", "--lead", std::to_string(lead)});
    CHECK(again.rc == 1);
    CHECK(again.err == "leadctl close: lead " + std::to_string(lead) + " is closed\n");
    auto missing = leadctl(db, example, {"close", "--lead", "999999"});
    CHECK(missing.rc == 1);
    CHECK(missing.err == "leadctl close: lead 999999 does not exist\n");
    CHECK(leadctl(db, example, {"close", "--lead", "abc"}).rc == 2);
}

TEST_CASE("absence set with dates covers whole local days, list and clear", "[absence]") {
    test::TestDatabase db;
    auto set = leadctl(db, example,
                       {"absence", "set", "weber", "2030-07-01", "2030-07-14", "--dealer",
                        "mueller", "--note", "Urlaub"});
    INFO(set.err);
    CHECK(set.rc == 0);
    CHECK(set.out.rfind("weber is absent from 2030-07-01T00:00:00+02:00 to "
                        "2030-07-15T00:00:00+02:00 (absence ",
                        0) == 0);
    auto list = leadctl(db, example, {"absence", "list", "--dealer", "mueller", "--json"});
    CHECK(list.rc == 0);
    const auto absences = Json::parse(list.out);
    REQUIRE(absences.size() == 1);
    CHECK(absences[0]["user"] == "weber");
    CHECK(absences[0]["from"] == "2030-07-01T00:00:00+02:00");
    CHECK(absences[0]["to"] == "2030-07-15T00:00:00+02:00");
    CHECK(absences[0]["now"] == false);
    CHECK(absences[0]["note"] == "Urlaub");
    auto clear = leadctl(db, example, {"absence", "clear", "weber", "--dealer", "mueller"});
    CHECK(clear.rc == 0);
    CHECK(clear.out == "weber: 1 absence(s) ended or removed\n");
    CHECK(db.exec("SELECT count(*) FROM absences").integer(0, 0) == 0);

    auto backwards =
        leadctl(db, example,
                {"absence", "set", "weber", "2030-07-14", "2030-07-01", "--dealer", "mueller"});
    CHECK(backwards.rc == 1);
    CHECK(backwards.err == "leadctl absence set: the absence ends before it starts\n");
    auto nobody =
        leadctl(db, example,
                {"absence", "set", "nobody", "2030-07-01", "2030-07-02", "--dealer", "mueller"});
    CHECK(nobody.rc == 1);
    CHECK(leadctl(db, example,
                  {"absence", "set", "weber", "tomorrow", "2030-07-02", "--dealer", "mueller"})
              .rc == 2);
}

TEST_CASE("an absence set with leadctl takes effect in the rotation and the users overview",
          "[absence]") {
    test::TestDatabase db;
    CHECK(leadctl(db, example,
                  {"absence", "set", "schmidt", "2020-01-01", "2099-12-31", "--dealer", "mueller"})
              .rc == 0);
    const auto users =
        Json::parse(leadctl(db, example, {"users", "--dealer", "mueller", "--json"}).out);
    CHECK(users[0]["id"] == "schmidt");
    CHECK(users[0]["substitute"] == "weber");
    CHECK(users[0]["absent_now"] == true);
    auto lead = test::add_lead(db, {.email = "a@ex.org"});
    CHECK(test::run_program(
              {LEADD_BINARY, "--config", example, "--database", db.conninfo(), "--once"}) == 0);
    CHECK(state(db, lead) == "assigned/weber");
}

TEST_CASE("leads shows the due state from the schedule: ok, soon, overdue", "[leads]") {
    test::TestDatabase db;
    auto ok = test::add_lead(db, {.email = "ok@ex.org", .state = "assigned", .assignee = "weber"});
    pending_event(db, ok, "reminder", "2099-01-01T10:00:00Z");
    pending_event(db, ok, "level1", "2099-01-01T10:30:00Z");
    auto soon =
        test::add_lead(db, {.email = "soon@ex.org", .state = "assigned", .assignee = "weber"});
    pending_event(db, soon, "reminder", "2020-01-01T10:00:00Z");
    pending_event(db, soon, "level1", "2099-01-01T10:30:00Z");
    auto overdue =
        test::add_lead(db, {.email = "late@ex.org", .state = "assigned", .assignee = "yilmaz"});
    pending_event(db, overdue, "level1", "2020-01-01T10:30:00Z");
    auto closed =
        test::add_lead(db, {.email = "zu@ex.org", .state = "closed", .assignee = "weber"});

    auto run = leadctl(db, example, {"leads", "--dealer", "mueller", "--json"});
    INFO(run.err);
    REQUIRE(run.rc == 0);
    const auto leads = Json::parse(run.out);
    auto due_of = [&](long long id) {
        for (const auto& lead : leads)
            if (lead["id"] == id)
                return lead["due"];
        FAIL("lead " << id << " is not listed");
        return Json();
    };
    CHECK(due_of(ok) == "ok");
    CHECK(due_of(soon) == "soon");
    CHECK(due_of(overdue) == "overdue");
    CHECK(due_of(closed).is_null());

    auto open = leadctl(db, example, {"leads", "--dealer", "mueller", "--open"});
    CHECK(open.out.find("zu@ex.org") == std::string::npos);
    CHECK(open.out.find("late@ex.org") != std::string::npos);
    CHECK(open.out.rfind("ID  RECEIVED          KIND  SOURCE  CONTACT", 0) == 0);
}

TEST_CASE("why explains a rotation decision: candidates, skip reasons, cursor", "[why]") {
    test::TestDatabase db;
    db.exec("INSERT INTO absences (dealer_id, user_id, starts_at, ends_at) VALUES "
            "('mueller', 'schmidt', now() - interval '1 hour', now() + interval '1 hour')");
    auto lead = test::add_lead(db, {.email = "w@ex.org"});
    CHECK(test::run_program(
              {LEADD_BINARY, "--config", example, "--database", db.conninfo(), "--once"}) == 0);
    auto why = leadctl(db, example, {"why", "--lead", std::to_string(lead)});
    INFO(why.out);
    CHECK(why.rc == 0);
    CHECK(why.out.rfind("lead " + std::to_string(lead) + " (mueller): assigned, assignee weber\n",
                        0) == 0);
    CHECK(why.out.find("  rotation → weber  by leadd@") != std::string::npos);
    CHECK(why.out.find("  general rotation, cursor (start) → weber\n"
                       "  considered: schmidt (skipped: absent), weber (picked)\n") !=
          std::string::npos);
    auto json = leadctl(db, example, {"why", "--lead", std::to_string(lead), "--json"});
    CHECK(Json::parse(json.out)["trail"][0]["rule"] == "rotation");
}
