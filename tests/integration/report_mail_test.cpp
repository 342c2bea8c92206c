// Issue #18 in the mode production runs: leadd daemons (two at once, on
// one database) send the month's report mail once, and bundle the
// notices held overnight into one digest per user at the opening. leadd's
// clock is moved to the moment under test; the mails arrive at a scripted
// SMTP server and are read as a mail client would.
#include "classify/mail_view.hpp"
#include "config/loader.hpp"
#include "core/zoned_time.hpp"
#include "example_config.hpp"
#include "fake_smtp.hpp"
#include "process.hpp"
#include "report_month.hpp"
#include "store/firing_run.hpp"
#include "store/timestamps.hpp"
#include "test_database.hpp"
#include "util/json.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <set>
#include <unistd.h>

using namespace lr;
using namespace std::chrono_literals;

namespace {

const test::Replacements::value_type monthly_report{
    "    pool:\n      enabled: false\n",
    "    reports:\n      monthly: true\n      day: 2\n    pool:\n      enabled: false\n"};
const test::Replacements::value_type digest_on{
    "    pool:\n      enabled: false\n",
    "    notices:\n      digest: true\n    pool:\n      enabled: false\n"};

// Seconds from the database's now to the local time at the dealer.
long long offset_to(const test::TestDatabase& db, const core::Dealer& dealer,
                    const std::string& local) {
    const auto target = core::parse_iso8601(local, dealer.timezone);
    REQUIRE(target);
    const long long now = db.exec("SELECT extract(epoch FROM now())::bigint").integer(0, 0);
    return target->time_since_epoch().count() - now;
}

struct Daemons {
    std::vector<std::unique_ptr<test::ChildProcess>> running;
    std::vector<std::string> logs;

    Daemons(const std::string& tag, const std::string& config, const test::TestDatabase& db,
            long long offset, int count) {
        for (int i = 0; i < count; ++i) {
            logs.push_back(
                (std::filesystem::temp_directory_path() /
                 (tag + "-" + std::to_string(getpid()) + "-" + std::to_string(i) + ".log"))
                    .string());
            running.push_back(std::make_unique<test::ChildProcess>(
                std::vector<std::string>{LEADD_BINARY, "--config", config, "--database",
                                         db.conninfo(), "--clock-offset", std::to_string(offset),
                                         "--poll-interval", "1"},
                logs.back()));
        }
    }
    ~Daemons() {
        for (auto& daemon : running) {
            daemon->signal(SIGTERM);
            daemon->wait(20s);
        }
        for (const auto& log : logs)
            std::filesystem::remove(log);
    }
    std::string log_text() const {
        std::string all;
        for (const auto& log : logs)
            all += test::read_text_file(log);
        return all;
    }
};

struct Received {
    std::vector<std::string> to;
    std::string subject, text, data;
};

std::vector<Received> received(const test::FakeSmtpServer& smtp) {
    std::vector<Received> out;
    for (const auto& message : smtp.accepted()) {
        auto view = classify::read_mail(message.data);
        REQUIRE(view);
        out.push_back({message.to, view->subject, view->text(), message.data});
    }
    return out;
}

// A lead of user with one pending event of kind due at the local time;
// unless it is level 1, sent at the next opening as leadd plans it (the
// calendar says when).
long long add_event(const test::TestDatabase& db, const core::Dealer& dealer,
                    const std::string& user, const std::string& kind, const std::string& due_at,
                    int n) {
    const core::Instant due = *core::parse_iso8601(due_at, dealer.timezone);
    const long long lead =
        db.exec("WITH c AS (INSERT INTO contacts (dealer_id, email, first_name, last_name) "
                "VALUES ('mueller', $1, 'Kundin', $2) RETURNING id) INSERT INTO leads "
                "(dealer_id, location_id, kind, source, token, state, assignee, received_at, "
                "contact_id, message) SELECT 'mueller', 'hamburg', 'lead', 'mobile.de', $3, "
                "'assigned', $4, $5, id, 'Ist der Wagen noch da?' FROM c RETURNING id",
                {"kundin" + std::to_string(n) + "@example.org", "Nummer" + std::to_string(n),
                 "digest-" + std::to_string(n), user, store::timestamp_param(due - 1min)})
            .integer(0, 0);
    const core::Instant send = kind == "level1" ? due : *dealer.calendar->next_open(due);
    db.exec("INSERT INTO scheduled_events (lead_id, kind, anchor_at, due_at, send_at, "
            "addressee) VALUES ($1, $2, $3, $3, $4, $5)",
            {std::to_string(lead), kind, store::timestamp_param(due), store::timestamp_param(send),
             user});
    return lead;
}

// The example dealer with the digest on, its mail going to a scripted
// SMTP server.
struct DigestSite {
    test::TestDatabase db;
    test::FakeSmtpServer smtp;
    std::string config;
    std::shared_ptr<const core::Config> loaded;

    DigestSite() {
        auto replacements = test::smtp_at(smtp.address());
        replacements.push_back(digest_on);
        config = test::write_example_config(replacements);
        auto read = config::load_config_file(config);
        REQUIRE(read.config);
        loaded = read.config;
    }
    const core::Dealer& dealer() const { return *loaded->find_dealer("mueller"); }
};

} // namespace

TEST_CASE("monthly report: two leadd daemons on its report day send October's report once, to "
          "the supervisors and the admin user, with three charts that decode and a PDF that "
          "shows the figures",
          "[report][leadd]") {
    test::TestDatabase db;
    test::FakeSmtpServer smtp;
    auto replacements = test::report_month_config();
    replacements.push_back(monthly_report);
    for (auto& r : test::smtp_at(smtp.address()))
        replacements.push_back(r);
    const std::string config = test::write_example_config(replacements);
    auto loaded = config::load_config_file(config);
    REQUIRE(loaded.config);
    const core::Dealer& dealer = *loaded.config->find_dealer("mueller");
    const auto month = test::script_october(dealer);
    test::insert_month(db, month);
    db.exec("UPDATE scheduled_events SET state = 'cancelled' WHERE state = 'pending'");
    long long level1_before = 0;
    for (const auto* lead : month.in_period())
        if (lead->first_reaction() &&
            *lead->first_reaction() < test::walked_level1(*dealer.calendar, lead->received, 2h))
            ++level1_before;
    const auto received_count = static_cast<long long>(month.in_period().size());

    {
        // Monday 2 November 2026, 09:00: the report day (2) opened at 08:00.
        Daemons daemons("report-leadd", config, db, offset_to(db, dealer, "2026-11-02T09:00"), 2);
        REQUIRE(test::eventually(
            [&] {
                for (const auto& mail : received(smtp))
                    if (mail.subject.find("Monatsbericht") != std::string::npos)
                        return true;
                return false;
            },
            60s));
        // Both daemons poll every second: give the other one its chances.
        std::this_thread::sleep_for(4s);
        CHECK(daemons.log_text().find("monthly report failed") == std::string::npos);
    }
    std::vector<Received> reports;
    for (const auto& mail : received(smtp))
        if (mail.subject.find("Monatsbericht") != std::string::npos)
            reports.push_back(mail);
    REQUIRE(reports.size() == 1);
    CHECK(db.exec("SELECT count(*) FROM report_mails").integer(0, 0) == 1);
    CHECK(db.exec("SELECT count(*) FROM outbox WHERE kind = 'monthly_report'").integer(0, 0) == 1);
    CHECK(db.exec("SELECT month::text FROM report_mails WHERE dealer_id = 'mueller'").text(0, 0) ==
          "2026-10-01");
    const Received& report = reports.front();
    CHECK(report.subject == "Monatsbericht Oktober 2026: Reaktionszeiten – Autohaus Müller GmbH");
    CHECK(std::set<std::string>(report.to.begin(), report.to.end()) ==
          std::set<std::string>{"p.mayer@autohaus-mueller.example",
                                "admin@autohaus-mueller.example"});
    CHECK(report.text.find("Eingegangene Anfragen: " + std::to_string(received_count)) !=
          std::string::npos);

    const auto dir =
        std::filesystem::temp_directory_path() / ("report-mail-" + std::to_string(getpid()));
    const auto mail_file = dir / "report.eml";
    std::filesystem::create_directories(dir);
    std::ofstream(mail_file, std::ios::binary) << report.data;
    char share[32];
    std::snprintf(share, sizeof share, "%.1f %%",
                  100.0 * static_cast<double>(level1_before) / static_cast<double>(received_count));
    std::string share_text = share;
    std::replace(share_text.begin(), share_text.end(), '.', ',');
    const std::string check_log = (dir / "check.log").string();
    const int checked = test::run_program(
        {"/usr/bin/python3",
         std::string(LEADROUTER_SOURCE_DIR) + "/tests/report/check_report_mail.py",
         mail_file.string(), dir.string(), "Monatsbericht Oktober 2026",
         "Eingegangene Anfragen " + std::to_string(received_count),
         "Vor Eskalationsstufe 1 beantwortet " + share_text,
         "Reaktionszeit, Median (Geschäftszeit)",
         "Median der Reaktionszeit je Verkäufer (Geschäftszeit)", "Anfragen pro Woche nach Quelle"},
        check_log);
    INFO(test::read_text_file(check_log));
    CHECK(checked == 0);
    // LEADROUTER_KEEP_REPORT=DIR keeps the mail's parts there to look at.
    if (const char* keep = std::getenv("LEADROUTER_KEEP_REPORT"))
        std::filesystem::copy(dir, keep,
                              std::filesystem::copy_options::recursive |
                                  std::filesystem::copy_options::overwrite_existing);
    std::filesystem::remove_all(dir);
}

TEST_CASE("digest: ten notices held overnight reach their user as one mail at the opening, a "
          "single held notice stays a notice, level 1 keeps its own mail, with two daemons",
          "[digest][leadd]") {
    DigestSite site;
    const test::TestDatabase& db = site.db;
    const test::FakeSmtpServer& smtp = site.smtp;
    const std::string& config = site.config;
    const core::Dealer& dealer = site.dealer();
    // Held: due on Sunday evening, sent at Monday's opening.
    std::vector<long long> schmidt;
    for (int n = 0; n < 8; ++n)
        schmidt.push_back(
            add_event(db, dealer, "schmidt", "assignment_notice",
                      "2026-12-13T2" + std::to_string(n % 4) + ":1" + std::to_string(n), n));
    schmidt.push_back(add_event(db, dealer, "schmidt", "reminder", "2026-12-14T07:30", 8));
    schmidt.push_back(add_event(db, dealer, "schmidt", "customer_message", "2026-12-12T19:00", 9));
    const long long weber =
        add_event(db, dealer, "weber", "assignment_notice", "2026-12-13T22:00", 10);
    // Level 1 is due at the opening too but was never held: its own mail.
    const long long yilmaz = add_event(db, dealer, "yilmaz", "level1", "2026-12-14T08:00", 11);
    REQUIRE(db.exec("SELECT count(DISTINCT send_at) FROM scheduled_events").integer(0, 0) == 1);

    {
        Daemons daemons("digest-leadd", config, db, offset_to(db, dealer, "2026-12-14T08:00:20"),
                        2);
        REQUIRE(test::eventually([&] { return smtp.accepted().size() >= 3; }, 60s));
        std::this_thread::sleep_for(4s);
    }
    const auto mails = received(smtp);
    for (const auto& mail : mails)
        UNSCOPED_INFO(mail.to.front() << ": " << mail.subject);
    REQUIRE(mails.size() == 3);
    std::map<std::string, Received> by_recipient;
    for (const auto& mail : mails) {
        REQUIRE(mail.to.size() == 1);
        by_recipient[mail.to.front()] = mail;
    }
    const Received& digest = by_recipient.at("a.schmidt@autohaus-mueller.example");
    CHECK(digest.subject == "Zusammenfassung: 10 Hinweise zu Anfragen");
    std::set<std::string> reply_addresses;
    for (size_t i = 0; i < schmidt.size(); ++i) {
        INFO("lead " << schmidt[i]);
        const std::string entry = std::to_string(i + 1) + ". ";
        CHECK(digest.text.find("Anfrage " + std::to_string(schmidt[i]) + " – Kundin Nummer" +
                               std::to_string(i)) != std::string::npos);
        CHECK(digest.text.find("kundin" + std::to_string(i) + "@example.org") != std::string::npos);
        CHECK(digest.text.find(entry) != std::string::npos);
    }
    for (size_t at = digest.text.find("Per E-Mail an mueller+"); at != std::string::npos;
         at = digest.text.find("Per E-Mail an mueller+", at + 1))
        reply_addresses.insert(
            digest.text.substr(at + 14, digest.text.find(':', at + 14) - at - 14));
    CHECK(reply_addresses.size() == 10); // one per lead: answering one acts on that lead
    CHECK(digest.text.find("Ihnen wurde eine neue Anfrage zugewiesen.") != std::string::npos);
    CHECK(digest.text.find("Diese Anfrage wartet noch auf Ihre Reaktion.") != std::string::npos);
    CHECK(digest.text.find("Der Kunde hat zu dieser Anfrage erneut geschrieben.") !=
          std::string::npos);
    CHECK(digest.text.find("„übernehmen“") == std::string::npos); // not a pool lead of theirs
    CHECK(digest.text.find("„erledigt“") != std::string::npos);
    CHECK(by_recipient.at("j.weber@autohaus-mueller.example").subject ==
          "Neue Anfrage: Anfrage " + std::to_string(weber) + " – Kundin Nummer10");
    CHECK(by_recipient.at("d.yilmaz@autohaus-mueller.example").subject ==
          "Eskalationsstufe 1: Anfrage " + std::to_string(yilmaz) + " – Kundin Nummer11");
    CHECK(db.exec("SELECT count(*) FROM scheduled_events WHERE state = 'done'").integer(0, 0) ==
          12);
    CHECK(db.exec("SELECT count(*) FROM outbox WHERE kind = 'digest'").integer(0, 0) == 1);
    CHECK(db.exec("SELECT count(*) FROM outbox").integer(0, 0) == 3);
    CHECK(db.exec("SELECT jsonb_array_length(payload->'digest') FROM outbox WHERE kind = 'digest'")
              .integer(0, 0) == 10);
}

TEST_CASE("digest: a batch takes a dealer's held notices whole, the next dealer's wait for the "
          "next batch, a dealer without the digest gets its notices one by one",
          "[digest]") {
    test::TestDatabase db;
    auto dealer_yaml = [](const std::string& id, bool digest) {
        return "  - id: " + id + "\n    locations: [{id: main, mailbox: " + id +
               "@dein.auto}]\n    working_hours: {mon: [\"08:00-18:00\"], tue: "
               "[\"08:00-18:00\"]}\n    notices: {digest: " +
               (digest ? "true" : "false") + "}\n    admin_user: u\n    users: [{id: u, email: u@" +
               id + ".example, receives_leads: true, assignable: true}]\n";
    };
    auto loaded = config::load_config_text(
        "system:\n  database: \"dbname=x\"\n  automanager_url: \"https://am.example/\"\n"
        "dealers:\n" +
            dealer_yaml("a", true) + dealer_yaml("b", true) + dealer_yaml("c", false),
        "digest.yaml");
    REQUIRE(loaded.config);
    const auto zone = loaded.config->dealers[0].timezone;
    const core::Instant due = *core::parse_iso8601("2026-12-13T21:00", zone);
    const core::Instant opening = *core::parse_iso8601("2026-12-14T08:00", zone);
    for (const char* dealer : {"a", "b", "c"})
        for (int n = 0; n < 3; ++n) {
            const auto lead =
                db.exec("INSERT INTO leads (dealer_id, kind, source, token, state, assignee, "
                        "received_at) VALUES ($1, 'lead', 'email', $2, 'assigned', 'u', $3) "
                        "RETURNING id",
                        {dealer, std::string(dealer) + std::to_string(n),
                         store::timestamp_param(due)})
                    .integer(0, 0);
            db.exec("INSERT INTO scheduled_events (lead_id, kind, anchor_at, due_at, send_at, "
                    "addressee) VALUES ($1, 'assignment_notice', $2, $2, $3, 'u')",
                    {std::to_string(lead), store::timestamp_param(due),
                     store::timestamp_param(opening)});
        }
    auto connection = db.connect();
    // A batch of four: a's three and the first of b's; b's wait whole.
    auto first = store::fire_due_events(connection, loaded.config, 4, opening + 1min);
    REQUIRE(first);
    CHECK(first->digests == 1);
    CHECK(db.exec("SELECT string_agg(dealer_id || ':' || kind, ',' ORDER BY id) FROM outbox")
              .text(0, 0) ==
          "a:digest,c:assignment_notice,c:assignment_notice,c:assignment_notice");
    auto second = store::fire_due_events(connection, loaded.config, 4, opening + 1min);
    REQUIRE(second);
    CHECK(second->digests == 1);
    CHECK(db.exec("SELECT string_agg(dealer_id || ':' || jsonb_array_length(payload->'digest'), "
                  "',' ORDER BY id) FROM outbox WHERE kind = 'digest'")
              .text(0, 0) == "a:3,b:3");
    CHECK(db.exec("SELECT count(*) FROM scheduled_events WHERE state = 'pending'").integer(0, 0) ==
          0);
    auto third = store::fire_due_events(connection, loaded.config, 4, opening + 1min);
    REQUIRE(third);
    CHECK(third->claimed == 0);
}

TEST_CASE("digest: a daemon that hangs holding the digest's lock delays only the digest, level 1 "
          "goes out on time, the digest follows once the lock is free",
          "[digest][leadd]") {
    DigestSite site;
    const test::TestDatabase& db = site.db;
    const test::FakeSmtpServer& smtp = site.smtp;
    const std::string& config = site.config;
    const core::Dealer& dealer = site.dealer();
    add_event(db, dealer, "schmidt", "assignment_notice", "2026-12-13T21:00", 0);
    add_event(db, dealer, "schmidt", "reminder", "2026-12-14T07:30", 1);
    const long long late = add_event(db, dealer, "yilmaz", "level1", "2026-12-14T08:00", 2);

    // The hung daemon: a transaction that took the lock and does nothing.
    auto hung = db.connect();
    REQUIRE(hung.exec("BEGIN"));
    REQUIRE(hung.exec("SELECT pg_advisory_xact_lock(hashtext('leadrouter.notice_digest'))"));
    Daemons daemons("digest-hung", config, db, offset_to(db, dealer, "2026-12-14T08:00:20"), 1);
    REQUIRE(test::eventually([&] { return !smtp.accepted().empty(); }, 60s));
    std::this_thread::sleep_for(6s); // longer than the lock timeout
    auto mails = received(smtp);
    REQUIRE(mails.size() == 1);
    CHECK(mails[0].subject ==
          "Eskalationsstufe 1: Anfrage " + std::to_string(late) + " – Kundin Nummer2");
    CHECK(db.exec("SELECT count(*) FROM scheduled_events WHERE state = 'pending'").integer(0, 0) ==
          2);
    CHECK(daemons.log_text().find("held notices not fired") != std::string::npos);

    REQUIRE(hung.exec("ROLLBACK"));
    REQUIRE(test::eventually([&] { return smtp.accepted().size() >= 2; }, 60s));
    mails = received(smtp);
    REQUIRE(mails.size() == 2);
    CHECK(mails[1].subject == "Zusammenfassung: 2 Hinweise zu Anfragen");
    CHECK(db.exec("SELECT count(*) FROM scheduled_events WHERE state = 'done'").integer(0, 0) == 3);
}
