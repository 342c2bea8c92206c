// Issue #17 against the real PostgreSQL: a person's data exported and
// erased with leadctl, and leadd's retention pass in daemon mode with its
// clock moved two years ahead. The proof of "gone" is a pg_dump of the
// whole database, its bytea columns decoded, searched for the person's
// name, address, phone and message words; the other customer's data and
// the dealer's statistics must be untouched.
#include "example_config.hpp"
#include "leadctl_run.hpp"
#include "process.hpp"
#include "test_database.hpp"
#include "util/json.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <unistd.h>

using namespace lr;
using namespace std::chrono_literals;

namespace {

const std::string example = std::string(LEADROUTER_SPEC_DIR) + "/config-example.yaml";

// One customer and everything the product stores about them.
struct Person {
    std::string first, last, email, phone, words;
};
const Person friederike{"Friederike", "Quastenberg", "f.quastenberg@example.net", "+4917655501234",
                        "Zahnarztpraxis Wohnmobilstellplatz"};
const Person bernhard{"Bernhard", "Oelschlegel", "b.oelschlegel@example.org", "+4915144402222",
                      "Segelflugzeughalle Gartenzwergmuseum"};

// What was created for one person, by table (the export's yardstick).
struct Created {
    std::map<std::string, std::set<long long>> rows;
    long long lead = 0;
};

long long insert(const test::TestDatabase& db, const std::string& sql,
                 const std::vector<store::Param>& params) {
    return db.exec(sql + " RETURNING id", params).integer(0, 0);
}

// A lead with its contact, the customer's mail (raw and record), a later
// reply of theirs, an unassignable mail of theirs, an assignment, a
// person's action, an event, a notice about them and a reply to them.
// received_at: how long ago (in the database's now).
Created seed(const test::TestDatabase& db, const Person& p, const std::string& received_ago,
             const std::string& state = "closed") {
    Created c;
    const std::string name = p.first + " " + p.last;
    const std::string mail = "From: " + name + " <" + p.email + ">\r\nSubject: Anfrage\r\n\r\n" +
                             "Guten Tag, hier " + name + ", Tel. " + p.phone + ". " + p.words +
                             "\r\n";
    const std::string record = json_text(Json{
        {"kind", "lead"},
        {"reason", nullptr},
        {"source", "email"},
        {"provider", nullptr},
        {"contact",
         {{"first_name", p.first}, {"last_name", p.last}, {"email", p.email}, {"phone", p.phone}}},
        {"message", p.words}});
    const std::string ago = "now() - interval '" + received_ago + "'";
    c.rows["contacts"].insert(insert(db,
                                     "INSERT INTO contacts (dealer_id, email, phone, first_name, "
                                     "last_name) VALUES ('mueller', $1, $2, $3, $4)",
                                     {p.email, p.phone, p.first, p.last}));
    c.lead = insert(db,
                    "INSERT INTO leads (dealer_id, kind, source, contact_id, message, trade_in, "
                    "token, state, assignee, assigned_at, received_at) VALUES ('mueller', "
                    "'tradein', 'email', $1, $2, $3::jsonb, md5(random()::text), $4, 'weber', " +
                        ago + ", " + ago + ")",
                    {std::to_string(*c.rows["contacts"].begin()), p.words,
                     json_text(Json{{"make", "VW"}, {"model", "Golf"}, {"vin", "WVW" + p.last}}),
                     state});
    c.rows["leads"].insert(c.lead);
    const std::string lead = std::to_string(c.lead);
    for (const char* kind : {"tradein", "reply"})
        c.rows["messages"].insert(
            insert(db,
                   "INSERT INTO messages (dealer_id, message_id, envelope_from, recipients, "
                   "received_at, kind, lead_id, classification, raw) VALUES ('mueller', $1, $2, "
                   "'{mueller@dein.auto}', " +
                       ago + ", $3, $4, $5::jsonb, convert_to($6, 'UTF8'))",
                   {"<" + std::string(kind) + "." + p.last + "@example.net>", p.email, kind, lead,
                    record, mail}));
    c.rows["messages"].insert(
        insert(db,
               "INSERT INTO messages (dealer_id, message_id, envelope_from, received_at, kind, "
               "reason, classification, raw) VALUES ('mueller', $1, $2, " +
                   ago + ", 'unassignable', 'no_contact', $3::jsonb, convert_to($4, 'UTF8'))",
               {"<lost." + p.last + "@example.net>", p.email, record, mail}));
    c.rows["assignments"].insert(
        insert(db,
               "INSERT INTO assignments (lead_id, dealer_id, user_id, rule, assigned_at, actor, "
               "generation) VALUES ($1, 'mueller', 'weber', 'rotation', " +
                   ago + ", 'leadd@test', 1)",
               {lead}));
    c.rows["lead_actions"].insert(
        insert(db,
               "INSERT INTO lead_actions (lead_id, dealer_id, action, user_id, channel, acted_at) "
               "VALUES ($1, 'mueller', 'close', 'weber', 'cli', " +
                   ago + ")",
               {lead}));
    c.rows["scheduled_events"].insert(
        insert(db,
               "INSERT INTO scheduled_events (lead_id, kind, anchor_at, due_at, send_at, "
               "addressee, state) VALUES ($1, 'level1', " +
                   ago + ", " + ago + ", " + ago + ", 'weber', 'done')",
               {lead}));
    c.rows["outbox"].insert(insert(
        db,
        "INSERT INTO outbox (dealer_id, lead_id, kind, message_id, mail_from, recipients, "
        "content, state, created_at, sent_at) VALUES ('mueller', $1, 'assignment_notice', $2, "
        "'mueller@dein.auto', '{j.weber@autohaus-mueller.example}', convert_to($3, 'UTF8'), "
        "'sent', " +
            ago + ", " + ago + ")",
        {lead, "<notice." + lead + "@dein.auto>",
         "Subject: Neue Anfrage\r\n\r\nKunde: " + name + ", " + p.email + ", " + p.phone}));
    c.rows["outbox"].insert(
        insert(db,
               "INSERT INTO outbox (dealer_id, lead_id, kind, message_id, mail_from, recipients, "
               "content, state, created_at, sent_at) VALUES ('mueller', $1, 'reply', $2, "
               "'mueller@dein.auto', $3::text[], convert_to($4, 'UTF8'), 'sent', " +
                   ago + ", " + ago + ")",
               {lead, "<reply." + lead + "@dein.auto>", "{" + p.email + "}",
                "To: " + p.email + "\r\n\r\nHallo " + name + ", zur " + p.words}));
    return c;
}

// The whole database as pg_dump writes it, each bytea value decoded, so a
// word in a stored mail is found as it was written.
std::string database_dump(const test::TestDatabase& db) {
    const auto file = std::filesystem::temp_directory_path() /
                      ("privacy-dump-" + std::to_string(getpid()) + "-" + db.name() + ".sql");
    const auto log = file.string() + ".log";
    const int rc = test::run_program(
        {"/usr/lib/postgresql/15/bin/pg_dump", "--dbname", db.conninfo(), "--file", file.string()},
        log);
    INFO(test::read_text_file(log));
    REQUIRE(rc == 0);
    std::string dump;
    {
        // Without pg_dump's per-run \restrict key: two dumps of the same
        // data are the same text.
        std::istringstream lines(test::read_text_file(file.string()));
        for (std::string line; std::getline(lines, line);)
            if (line.rfind("\\restrict", 0) != 0 && line.rfind("\\unrestrict", 0) != 0)
                dump += line + "\n";
    }
    std::filesystem::remove(file);
    std::filesystem::remove(log);
    std::string decoded;
    for (size_t at = dump.find("\\\\x"); at != std::string::npos; at = dump.find("\\\\x", at)) {
        size_t end = at + 3;
        while (end < dump.size() && std::isxdigit(static_cast<unsigned char>(dump[end])))
            ++end;
        for (size_t i = at + 3; i + 1 < end; i += 2)
            decoded += static_cast<char>(std::stoi(dump.substr(i, 2), nullptr, 16));
        decoded += '\n';
        at = end;
    }
    return dump + "\n" + decoded;
}

std::vector<std::string> traces_of(const Person& p) {
    std::vector<std::string> traces = {p.first, p.last, p.email, p.phone,
                                       p.phone.substr(3)}; // without +49
    std::istringstream words(p.words);
    for (std::string word; words >> word;)
        traces.push_back(word);
    return traces;
}

// What the dealer's statistics read: every lead's times, kinds, sources,
// states and assignees, and how many rows of each kind there are.
std::string statistics(const test::TestDatabase& db) {
    return db
        .exec("SELECT concat_ws(' | ', (SELECT string_agg(concat_ws(',', id, kind, source, state, "
              "assignee, received_at, assigned_at), ';' ORDER BY id) FROM leads), (SELECT "
              "string_agg(concat_ws(',', id, kind, reason, received_at, lead_id), ';' ORDER BY id) "
              "FROM messages), (SELECT string_agg(concat_ws(',', id, kind, lead_id, created_at, "
              "sent_at), ';' ORDER BY id) FROM outbox), (SELECT count(*) FROM assignments), "
              "(SELECT count(*) FROM lead_actions), (SELECT count(*) FROM scheduled_events))")
        .text(0, 0);
}

// Nothing of Friederike in the dump, all of Bernhard.
void check_only_bernhard_left(const std::string& dump) {
    for (const auto& trace : traces_of(friederike)) {
        INFO(trace);
        CHECK(dump.find(trace) == std::string::npos);
    }
    for (const auto& trace : traces_of(bernhard)) {
        INFO(trace);
        CHECK(dump.find(trace) != std::string::npos);
    }
}

test::CliRun leadctl(const test::TestDatabase& db, std::vector<std::string> args) {
    args.insert(args.begin() + 1, {"--config", example, "--database", db.conninfo()});
    return test::run_leadctl(args);
}

} // namespace

TEST_CASE("privacy erase: afterwards a pg_dump of the whole database holds nothing of the "
          "person, the other customer is untouched, the statistics are the same, and a "
          "concluded deal is restricted instead",
          "[privacy]") {
    test::TestDatabase db;
    seed(db, friederike, "3 days");
    seed(db, friederike, "40 days", "assigned"); // a second enquiry of hers
    seed(db, bernhard, "3 days");
    const std::string before = statistics(db);
    const std::string dump_before = database_dump(db);
    for (const auto& trace : traces_of(friederike))
        REQUIRE(dump_before.find(trace) != std::string::npos); // the search would find them

    auto dry = leadctl(db, {"privacy", "erase", "--dealer", "mueller", "--contact",
                            "F.Quastenberg@Example.NET", "--dry-run", "--json"});
    INFO(dry.err);
    REQUIRE(dry.rc == 0);
    const auto would = Json::parse(dry.out);
    CHECK(would["contacts"] == 2);
    CHECK(would["leads"] == 2);
    CHECK(would["messages"] == 6);
    CHECK(would["outbox"] == 4);
    CHECK(database_dump(db) == dump_before); // a dry run changes nothing

    auto erased = leadctl(
        db, {"privacy", "erase", "--dealer", "mueller", "--contact", "f.quastenberg@example.net"});
    INFO(erased.err);
    REQUIRE(erased.rc == 0);
    CHECK(erased.out.rfind("erased: 2 contact(s), 2 lead(s), 6 message(s), 4 mail(s)", 0) == 0);
    check_only_bernhard_left(database_dump(db));
    CHECK(statistics(db) == before);
    CHECK(db.exec("SELECT subject FROM privacy_log WHERE action = 'erase'").text(0, 0) ==
          "f***@e***.net");

    // Again: nothing left to erase, nothing changes.
    auto again = leadctl(
        db, {"privacy", "erase", "--dealer", "mueller", "--contact", "f.quastenberg@example.net"});
    CHECK(again.rc == 0);
    CHECK(again.out.rfind("erased: 0 contact(s), 0 lead(s), 0 message(s), 0 mail(s)", 0) == 0);
    CHECK(statistics(db) == before);

    // Bernhard bought: his deal lead is restricted, its letters kept.
    const long long deal = db.exec("SELECT l.id FROM leads l JOIN contacts c ON c.id = "
                                   "l.contact_id WHERE c.email = $1",
                                   {bernhard.email})
                               .integer(0, 0);
    CHECK(leadctl(db, {"mark-deal", "--lead", std::to_string(deal)}).rc == 0);
    auto restricted =
        leadctl(db, {"privacy", "erase", "--dealer", "mueller", "--contact", "+49 151 444 02222"});
    INFO(restricted.err);
    CHECK(restricted.rc == 0);
    CHECK(restricted.out.find("1 concluded deal(s) restricted") != std::string::npos);
    CHECK(
        db.exec("SELECT restricted_at IS NOT NULL FROM leads WHERE id = $1", {std::to_string(deal)})
            .text(0, 0) == "t");
    const std::string after_deal = database_dump(db);
    CHECK(after_deal.find(bernhard.email) != std::string::npos);
    CHECK(after_deal.find("Gartenzwergmuseum") != std::string::npos);
}

TEST_CASE("privacy export: every row created for the person, each raw mail as .eml, nothing "
          "of another customer",
          "[privacy]") {
    test::TestDatabase db;
    auto first = seed(db, friederike, "3 days");
    auto second = seed(db, friederike, "40 days", "assigned");
    auto other = seed(db, bernhard, "3 days");
    const auto out = std::filesystem::temp_directory_path() /
                     ("privacy-export-" + std::to_string(getpid()) + "-" + db.name());
    auto run = leadctl(db, {"privacy", "export", "--dealer", "mueller", "--contact",
                            friederike.email, "--out", out.string()});
    INFO(run.err);
    REQUIRE(run.rc == 0);
    const auto document = Json::parse(test::read_text_file((out / "export.json").string()));
    for (const auto& [table, expected] : first.rows) {
        INFO(table);
        std::set<long long> want = expected;
        want.insert(second.rows[table].begin(), second.rows[table].end());
        std::set<long long> got;
        for (const auto& row : document[table])
            got.insert(row["id"].get<long long>());
        CHECK(got == want);
        for (long long foreign : other.rows[table])
            CHECK(got.count(foreign) == 0);
    }
    for (long long message : first.rows["messages"]) {
        const auto eml = out / "messages" / (std::to_string(message) + ".eml");
        REQUIRE(std::filesystem::exists(eml));
        CHECK(test::read_text_file(eml.string()).find(friederike.words) != std::string::npos);
    }
    for (long long mail : first.rows["outbox"])
        CHECK(std::filesystem::exists(out / "outbox" / (std::to_string(mail) + ".eml")));
    CHECK((std::filesystem::status(out / "export.json").permissions() &
           std::filesystem::perms::others_read) == std::filesystem::perms::none);
    CHECK(db.exec("SELECT count(*) FROM privacy_log WHERE action = 'export'").integer(0, 0) == 1);
    // The export directory is never overwritten.
    CHECK(leadctl(db, {"privacy", "export", "--dealer", "mueller", "--contact", friederike.email,
                       "--out", out.string()})
              .rc == 1);
    std::filesystem::remove_all(out);
}

TEST_CASE("retention: leadd in daemon mode, its clock two years ahead, anonymises what is past "
          "its period and keeps what is not, the statistics add up as before",
          "[privacy][leadd]") {
    test::TestDatabase db;
    seed(db, friederike, "1 day"); // two years old in leadd's clock
    // Bernhard wrote "yesterday" in leadd's clock: nothing of his is due.
    seed(db, bernhard, "-730 days");
    const std::string before = statistics(db);
    const std::string config = test::write_example_config(
        {{"  automanager_url:", "  privacy:\n    run_at: \"00:00\"\n    batch_size: 1\n"
                                "  automanager_url:"}});
    const auto log = std::filesystem::temp_directory_path() /
                     ("privacy-leadd-" + std::to_string(getpid()) + ".log");
    test::ChildProcess leadd({LEADD_BINARY, "--config", config, "--database", db.conninfo(),
                              "--clock-offset", std::to_string(731 * 24 * 3600)},
                             log.string());
    // batch_size 1: the pass runs batch after batch until nothing is left.
    REQUIRE(test::eventually(
        [&] {
            return db.exec("SELECT count(*) FROM leads WHERE anonymised_at IS NULL AND "
                           "received_at < now()")
                       .integer(0, 0) == 0;
        },
        60s));
    REQUIRE(test::eventually(
        [&] {
            return db.exec("SELECT count(*) FROM messages WHERE raw IS NOT NULL AND received_at "
                           "< now()")
                       .integer(0, 0) == 0;
        },
        30s));
    leadd.signal(SIGTERM);
    leadd.wait(20s);
    check_only_bernhard_left(database_dump(db));
    CHECK(statistics(db) == before);
    const std::string first_log = test::read_text_file(log.string());
    CHECK(first_log.find("retention pass done") != std::string::npos);
    CHECK(first_log.find("retention pass done: personal data past its period anonymised") !=
          std::string::npos);
    CHECK(first_log.find("TOTAL=0") == std::string::npos); // the first pass found work

    // A restart the same day runs the pass again: it finds nothing new and
    // changes nothing.
    const std::string anonymised = statistics(db) + db.exec("SELECT string_agg(concat_ws(',', "
                                                            "id, anonymised_at), ';' ORDER BY "
                                                            "id) FROM messages")
                                                        .text(0, 0);
    const auto second_log = log.string() + ".2";
    {
        test::ChildProcess again({LEADD_BINARY, "--config", config, "--database", db.conninfo(),
                                  "--clock-offset", std::to_string(731 * 24 * 3600)},
                                 second_log);
        REQUIRE(test::eventually(
            [&] {
                return test::read_text_file(second_log).find("retention pass done") !=
                       std::string::npos;
            },
            30s));
        again.signal(SIGTERM);
        again.wait(20s);
    }
    const std::string again_log = test::read_text_file(second_log);
    CHECK(again_log.find("TOTAL=0") != std::string::npos);
    CHECK(again_log.find("retention batch failed") == std::string::npos);
    CHECK(statistics(db) + db.exec("SELECT string_agg(concat_ws(',', id, anonymised_at), ';' "
                                   "ORDER BY id) FROM messages")
                               .text(0, 0) ==
          anonymised);
    std::filesystem::remove(second_log);
    std::filesystem::remove(log);
}
