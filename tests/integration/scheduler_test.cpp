// The scheduler against the real PostgreSQL on a simulated clock: the
// store functions take `now`, so a week runs in milliseconds.
#include "config/loader.hpp"
#include "example_config.hpp"
#include "lead_seed.hpp"
#include "process.hpp"
#include "store/assignment_run.hpp"
#include "store/firing_run.hpp"
#include "store/lead_actions.hpp"
#include "store/recompute_run.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <thread>

using namespace lr;
using namespace std::chrono_literals;

namespace {

Result<store::LeadRef> react(store::Connection& connection, const core::Config& config,
                             long long lead, const std::string& user, core::Instant now) {
    return store::run_alone(connection, [&](store::Transaction& tx) {
        return store::record_reaction(tx, config, lead, store::Actor{user, store::Channel::cli},
                                      now);
    });
}

Result<store::LeadRef> reassign(store::Connection& connection, const core::Config& config,
                                long long lead, const std::string& user, core::Instant now) {
    return store::run_alone(connection, [&](store::Transaction& tx) {
        return store::reassign_lead(tx, config, lead, user, store::Actor{}, now);
    });
}

std::shared_ptr<const core::Config> load_example(const std::string& from = "",
                                                 const std::string& to = "") {
    test::Replacements replacements;
    if (!from.empty())
        replacements.emplace_back(from, to);
    auto loaded = config::load_config_text(test::example_config_text(replacements), "example.yaml");
    REQUIRE(loaded.config);
    return loaded.config;
}

const date::time_zone* berlin() {
    return date::locate_zone("Europe/Berlin");
}
core::Instant at(const char* text) {
    return *core::parse_iso8601(text, berlin());
}

// A lead received at `received` and assigned at that moment.
long long assigned_lead(const test::TestDatabase& db, const core::Config& config,
                        const char* received, const std::string& email = "k@ex.org") {
    auto id = test::add_lead(db, {.email = email});
    db.exec("UPDATE leads SET received_at = $2 WHERE id = $1",
            {std::to_string(id), core::format_iso8601(at(received), berlin())});
    auto connection = db.connect();
    auto shared = std::make_shared<const core::Config>(config);
    auto stats = store::run_assignment_batch(connection, shared, 100, at(received), "test");
    REQUIRE(stats);
    return id;
}

struct Mail {
    std::string kind;
    std::string recipients;
    std::string queued_at; // the simulated time of the firing pass
};

// Runs the scheduler from `from` to `to` in steps, like the daemon's timer
// would, and returns the mails in the order they were queued.
std::vector<Mail> run_clock(const test::TestDatabase& db, const core::Config& config,
                            core::Instant from, core::Instant to,
                            std::chrono::seconds step = 15min) {
    auto connection = db.connect();
    auto shared = std::make_shared<const core::Config>(config);
    for (auto now = from; now <= to; now += step) {
        auto stats = store::fire_due_events(connection, shared, 1000, now);
        REQUIRE(stats);
    }
    auto rows = db.exec("SELECT kind, array_to_string(recipients, ','), not_before FROM outbox "
                        "ORDER BY id");
    std::vector<Mail> mails;
    for (int i = 0; i < rows.size(); ++i) {
        auto queued = core::parse_iso8601(rows.text(i, 2).substr(0, 19) + "Z", berlin());
        mails.push_back({rows.text(i, 0), rows.text(i, 1),
                         queued ? core::format_iso8601(*queued, berlin()) : rows.text(i, 2)});
    }
    return mails;
}

std::string events(const test::TestDatabase& db, long long lead) {
    auto rows = db.exec("SELECT string_agg(kind || ':' || state, ' ' ORDER BY id) FROM "
                        "scheduled_events WHERE lead_id = $1",
                        {std::to_string(lead)});
    return rows.optional_text(0, 0).value_or("");
}

} // namespace

TEST_CASE("a simulated week: every mail of the chain goes out once, at its send time, in order",
          "[scheduler]") {
    test::TestDatabase db;
    auto config = load_example();
    assigned_lead(db, *config, "2026-12-04T15:00"); // Friday
    auto mails = run_clock(db, *config, at("2026-12-04T15:00"), at("2026-12-11T15:00"));
    REQUIRE(mails.size() == 4);
    CHECK(mails[0].kind == "assignment_notice");
    CHECK(mails[0].recipients == "a.schmidt@autohaus-mueller.example");
    CHECK(mails[0].queued_at == "2026-12-04T15:00:00+01:00");
    CHECK(mails[1].kind == "reminder");
    CHECK(mails[1].queued_at == "2026-12-05T09:30:00+01:00");
    CHECK(mails[2].kind == "level1");
    CHECK(mails[2].queued_at == "2026-12-05T10:00:00+01:00");
    CHECK(mails[3].kind == "level2");
    CHECK(mails[3].recipients == "p.mayer@autohaus-mueller.example"); // the supervisor
    CHECK(mails[3].queued_at == "2026-12-07T08:00:00+01:00");         // not on the weekend
}

TEST_CASE("a reaction before level 1 cancels the rest of the chain", "[scheduler]") {
    test::TestDatabase db;
    auto config = load_example();
    auto lead = assigned_lead(db, *config, "2026-12-04T15:00");
    run_clock(db, *config, at("2026-12-04T15:00"), at("2026-12-05T09:45"));
    auto connection = db.connect();
    REQUIRE(react(connection, *config, lead, "schmidt", at("2026-12-05T09:45")));
    auto mails = run_clock(db, *config, at("2026-12-05T09:45"), at("2026-12-12T00:00"));
    REQUIRE(mails.size() == 2);
    CHECK(mails[1].kind == "reminder");
    CHECK(events(db, lead) == "assignment_notice:done reminder:done level1:cancelled "
                              "level2:cancelled");
}

TEST_CASE("reassignment restarts the chain for the new assignee at the reassignment time",
          "[scheduler]") {
    test::TestDatabase db;
    auto config = load_example();
    auto lead = assigned_lead(db, *config, "2026-12-07T09:00"); // Monday → schmidt
    run_clock(db, *config, at("2026-12-07T09:00"), at("2026-12-07T09:45"));
    auto connection = db.connect();
    REQUIRE(reassign(connection, *config, lead, "zentrale", at("2026-12-07T10:00")));
    auto mails = run_clock(db, *config, at("2026-12-07T10:00"), at("2026-12-08T18:00"));
    std::vector<std::string> seen;
    for (const auto& mail : mails)
        seen.push_back(mail.kind + "@" + mail.queued_at + ">" + mail.recipients);
    CHECK(seen ==
          std::vector<std::string>{
              "assignment_notice@2026-12-07T09:00:00+01:00>a.schmidt@autohaus-mueller.example",
              "assignment_notice@2026-12-07T10:00:00+01:00>zentrale@autohaus-mueller.example",
              "reminder@2026-12-07T11:30:00+01:00>zentrale@autohaus-mueller.example",
              "level1@2026-12-07T12:00:00+01:00>zentrale@autohaus-mueller.example",
              // zentrale has no supervisor: level 2 goes to the admin account
              "level2@2026-12-07T16:00:00+01:00>admin@autohaus-mueller.example"});
}

TEST_CASE("notices to an absent user also go to the substitute, one mail each with its own "
          "reply address",
          "[scheduler]") {
    test::TestDatabase db;
    auto config = load_example();
    db.exec("INSERT INTO absences (dealer_id, user_id, starts_at, ends_at) VALUES ('mueller', "
            "'schmidt', '2026-12-05T00:00:00+01:00', '2026-12-06T00:00:00+01:00')");
    auto lead = assigned_lead(db, *config, "2026-12-04T15:00");
    auto mails = run_clock(db, *config, at("2026-12-04T15:00"), at("2026-12-05T12:00"));
    // Friday's notice; Saturday's reminder and level 1, each to both.
    REQUIRE(mails.size() == 5);
    CHECK(mails[0].recipients == "a.schmidt@autohaus-mueller.example"); // Friday: present
    CHECK(mails[1].kind == "reminder");
    CHECK(mails[1].recipients == "a.schmidt@autohaus-mueller.example");
    CHECK(mails[2].kind == "reminder");
    CHECK(mails[2].recipients == "j.weber@autohaus-mueller.example");
    CHECK(mails[3].kind == "level1");
    CHECK(mails[4].kind == "level1");
    CHECK(db.exec("SELECT string_agg(user_id, ',' ORDER BY user_id) FROM reply_keys WHERE "
                  "lead_id = $1",
                  {std::to_string(lead)})
              .text(0, 0) == "schmidt,weber");
    // A replayed firing pass queues nothing more (one mail per event and user).
    run_clock(db, *config, at("2026-12-05T12:00"), at("2026-12-05T12:00"));
    db.exec("UPDATE scheduled_events SET state = 'pending' WHERE lead_id = $1 AND kind = "
            "'reminder'",
            {std::to_string(lead)});
    auto replayed = run_clock(db, *config, at("2026-12-05T12:00"), at("2026-12-05T12:00"));
    CHECK(replayed.size() == 5);
}

TEST_CASE("after a weekend without the daemon, overdue events fire once each, oldest first",
          "[scheduler]") {
    test::TestDatabase db;
    auto config = load_example();
    for (int i = 0; i < 20; ++i)
        assigned_lead(db, *config, "2026-12-04T15:00", "k" + std::to_string(i) + "@ex.org");
    // Monday 09:00: notices, reminders, level 1 and level 2 of all 20 are due.
    auto connection = db.connect();
    for (;;) {
        auto stats = store::fire_due_events(connection, config, 7, at("2026-12-07T09:00"));
        REQUIRE(stats);
        if (stats->claimed == 0)
            break;
    }
    CHECK(db.exec("SELECT count(*) FROM outbox").integer(0, 0) == 80);
    // Queued in the order of their send times (every mail is an event's).
    CHECK(db.exec("SELECT count(*) FROM outbox o JOIN scheduled_events s ON o.event_id = s.id")
              .integer(0, 0) == 80);
    CHECK(db.exec("SELECT bool_and(ordered) FROM (SELECT s.send_at >= lag(s.send_at) OVER (ORDER "
                  "BY o.id) OR lag(s.send_at) OVER (ORDER BY o.id) IS NULL AS ordered FROM outbox "
                  "o JOIN scheduled_events s ON o.event_id = s.id) x")
              .boolean(0, 0));
}

TEST_CASE("two daemons firing the same overdue events: each mail is queued exactly once",
          "[scheduler]") {
    test::TestDatabase db;
    auto config = load_example();
    for (int i = 0; i < 20; ++i)
        assigned_lead(db, *config, "2026-12-04T15:00", "k" + std::to_string(i) + "@ex.org");
    auto worker = [&] {
        auto connection = db.connect();
        for (;;) {
            auto stats = store::fire_due_events(connection, config, 3, at("2026-12-07T09:00"));
            REQUIRE(stats);
            if (stats->claimed == 0)
                return;
        }
    };
    std::thread one(worker);
    std::thread two(worker);
    one.join();
    two.join();
    CHECK(db.exec("SELECT count(*) FROM outbox").integer(0, 0) == 80);
    CHECK(db.exec("SELECT count(DISTINCT message_id) FROM outbox").integer(0, 0) == 80);
    CHECK(db.exec("SELECT count(*) FROM scheduled_events WHERE state <> 'done'").integer(0, 0) ==
          0);
}

TEST_CASE("resubmission chains, respecting opening hours or not", "[scheduler]") {
    for (bool respect : {true, false}) {
        INFO("resubmission_respects_hours: " << respect);
        test::TestDatabase db;
        auto config = respect ? load_example()
                              : load_example("resubmission_respects_hours: true",
                                             "resubmission_respects_hours: false");
        auto lead = assigned_lead(db, *config, "2026-12-07T09:00");
        run_clock(db, *config, at("2026-12-07T09:00"), at("2026-12-07T09:00"));
        auto connection = db.connect();
        REQUIRE(react(connection, *config, lead, "schmidt", at("2026-12-07T09:10")));
        REQUIRE(store::run_alone(connection, [&](store::Transaction& tx) {
            return store::set_resubmission(tx, *config, lead, at("2026-12-12T14:00"),
                                           store::Actor{}, at("2026-12-07T09:10"));
        }));
        auto mails = run_clock(db, *config, at("2026-12-07T09:00"), at("2026-12-16T00:00"));
        REQUIRE(mails.size() == 3);
        CHECK(mails[1].kind == "resubmission");
        CHECK(mails[2].kind == "level2_resubmission");
        CHECK(mails[2].recipients == "p.mayer@autohaus-mueller.example");
        if (respect) {
            CHECK(mails[1].queued_at == "2026-12-14T08:00:00+01:00"); // Saturday 14:00 → Monday
            CHECK(mails[2].queued_at == "2026-12-15T08:00:00+01:00");
        } else {
            CHECK(mails[1].queued_at == "2026-12-12T14:00:00+01:00");
            CHECK(mails[2].queued_at == "2026-12-13T14:00:00+01:00"); // a Sunday
        }
    }
}

TEST_CASE("a reload that changes escalation times recomputes pending events from their anchors",
          "[scheduler]") {
    test::TestDatabase db;
    auto before = load_example();
    auto lead = assigned_lead(db, *before, "2026-12-07T09:00");
    auto after = load_example("level1: 2h ", "level1: 4h ");
    auto no_reminder = load_example("reminder: 30m ", "reminder: 0 ");
    CHECK(store::dealers_with_changed_schedule(*before, *after) ==
          std::vector<std::string>{"mueller"});
    CHECK(store::dealers_with_changed_schedule(*before, *load_example()).empty());

    auto connection = db.connect();
    store::RecomputeRun run(after, {"mueller"});
    REQUIRE(store::run_sequence(connection, run));
    CHECK(run.updated() == 4);
    auto level1 = db.exec("SELECT due_at FROM scheduled_events WHERE lead_id = $1 AND kind = "
                          "'level1'",
                          {std::to_string(lead)})
                      .text(0, 0);
    CHECK(level1 ==
          "2026-12-07 13:00:00+00"); // 09:00 + 4h of Monday (12:30-13:30 break) = 14:00 CET

    store::RecomputeRun drop(no_reminder, {"mueller"});
    REQUIRE(store::run_sequence(connection, drop));
    CHECK(drop.cancelled() == 1);
    CHECK(events(db, lead) ==
          "assignment_notice:pending reminder:cancelled level1:pending level2:pending");
}

TEST_CASE("an event of a lead closed behind the scheduler's back is cancelled, not sent",
          "[scheduler]") {
    test::TestDatabase db;
    auto config = load_example();
    auto lead = assigned_lead(db, *config, "2026-12-07T09:00");
    db.exec("UPDATE leads SET state = 'closed' WHERE id = $1", {std::to_string(lead)});
    auto connection = db.connect();
    auto stats = store::fire_due_events(connection, config, 100, at("2026-12-08T00:00"));
    REQUIRE(stats);
    CHECK(stats->cancelled == 4);
    CHECK(db.exec("SELECT count(*) FROM outbox").integer(0, 0) == 0);
}

TEST_CASE("leadd fires events that are due: timer after NOTIFY, on its real clock",
          "[scheduler][leadd]") {
    test::TestDatabase db;
    auto log = "/tmp/leadd-scheduler-" + std::to_string(getpid()) + ".log";
    test::ChildProcess daemon({LEADD_BINARY, "--config",
                               std::string(LEADROUTER_SPEC_DIR) + "/config-example.yaml",
                               "--database", db.conninfo()},
                              log);
    REQUIRE(test::eventually(
        [&] {
            return test::read_text_file(log).find("listening for new leads") != std::string::npos;
        },
        10s));
    // Received a week ago: the whole chain is overdue when it is written.
    auto lead = test::add_lead(db, {.email = "alt@ex.org"});
    db.exec("UPDATE leads SET received_at = now() - interval '7 days' WHERE id = $1",
            {std::to_string(lead)});
    db.exec("NOTIFY leadrouter_new_lead");
    CHECK(test::eventually(
        [&] {
            return db.exec("SELECT count(*) FROM outbox WHERE kind = 'level2'").integer(0, 0) == 1;
        },
        15s));
    daemon.signal(SIGTERM);
    CHECK(daemon.wait(10s) == 0);
}

TEST_CASE("a customer's new mail on an open lead notifies the assignee, after a reaction it "
          "starts a new chain from its receipt",
          "[scheduler]") {
    test::TestDatabase db;
    auto config = load_example();
    auto first = assigned_lead(db, *config, "2026-12-07T09:00", "jana@ex.org"); // schmidt
    run_clock(db, *config, at("2026-12-07T09:00"), at("2026-12-07T09:00"));
    auto connection = db.connect();
    REQUIRE(react(connection, *config, first, "schmidt", at("2026-12-07T09:30")));
    CHECK(events(db, first) == "assignment_notice:done reminder:cancelled level1:cancelled "
                               "level2:cancelled");

    // Jana writes again on Tuesday at 10:00.
    auto again = assigned_lead(db, *config, "2026-12-08T10:00", "jana@ex.org");
    CHECK(db.exec("SELECT state || '>' || merged_into FROM leads WHERE id = $1",
                  {std::to_string(again)})
              .text(0, 0) == "merged>" + std::to_string(first));
    CHECK(db.exec("SELECT state FROM leads WHERE id = $1", {std::to_string(first)}).text(0, 0) ==
          "assigned");
    auto rows = db.exec("SELECT string_agg(kind || ':' || chain || ':' || addressee || '@' || "
                        "to_char(send_at AT TIME ZONE 'Europe/Berlin', 'DD HH24:MI'), ' ' ORDER "
                        "BY id) FROM scheduled_events WHERE lead_id = $1 AND state = 'pending'",
                        {std::to_string(first)});
    CHECK(rows.text(0, 0) == "customer_message:1:schmidt@08 10:00 reminder:1:schmidt@08 11:30 "
                             "level1:1:schmidt@08 12:00 level2:1:mayer@08 16:00");
}

TEST_CASE("a customer's new mail on a lead still waiting for a reaction only notifies",
          "[scheduler]") {
    test::TestDatabase db;
    auto config = load_example();
    auto first = assigned_lead(db, *config, "2026-12-07T09:00", "ben@ex.org");
    assigned_lead(db, *config, "2026-12-07T09:20", "ben@ex.org");
    CHECK(db.exec("SELECT string_agg(kind || ':' || chain, ' ' ORDER BY id) FROM "
                  "scheduled_events WHERE lead_id = $1",
                  {std::to_string(first)})
              .text(0, 0) == "assignment_notice:0 reminder:0 level1:0 level2:0 customer_message:0");
}
