// leadctl reply (SPEC §8, LMS mode): threaded, with the tracking address as
// Reply-To, counted as the reaction, with the exposé on request; refused in
// lead-tracking mode.
#include "example_config.hpp"
#include "fake_smtp.hpp"
#include "lead_seed.hpp"
#include "leadctl_run.hpp"
#include "process.hpp"
#include "smtp_sink.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace lr;

namespace {

// Where the tests put their exposé PDFs (system.expose_dir).
std::string expose_dir() {
    auto dir =
        std::filesystem::temp_directory_path() / ("leadrouter-exposes-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    return dir.string();
}

std::string write_config(const std::string& smtp, const std::string& from = "",
                         const std::string& to = "") {
    auto replacements = test::smtp_at(smtp);
    replacements.push_back(test::expose_dir_at(expose_dir()));
    if (!from.empty())
        replacements.emplace_back(from, to);
    return test::write_example_config(replacements);
}

// The lead's vehicle, with an exposé of type standard at path.
void give_expose(const test::TestDatabase& db, long long lead, const std::string& path) {
    db.exec("WITH v AS (INSERT INTO vehicles (dealer_id, internal_number) VALUES ('mueller', "
            "'HH-2231') RETURNING id), e AS (INSERT INTO vehicle_exposes (vehicle_id, type, path) "
            "SELECT id, 'standard', $2 FROM v) UPDATE leads SET vehicle_id = (SELECT id FROM v) "
            "WHERE id = $1",
            {std::to_string(lead), path});
}

test::CliRun leadctl(const test::TestDatabase& db, const std::string& config,
                     std::vector<std::string> args) {
    args.insert(args.end(), {"--config", config, "--database", db.conninfo()});
    return test::run_leadctl(args);
}

std::string body_file() {
    auto path = std::filesystem::temp_directory_path() /
                ("leadrouter-reply-body-" + std::to_string(getpid()) + ".txt");
    std::ofstream(path) << "Guten Tag Frau Krüger,\nder Golf ist noch da.\n";
    return path.string();
}

long long lead_with_thread(const test::TestDatabase& db) {
    auto lead = test::add_lead(
        db, {.email = "jana.krueger@example.org", .state = "assigned", .assignee = "schmidt"});
    db.exec("UPDATE leads SET token = 't0k3n' WHERE id = $1", {std::to_string(lead)});
    db.exec("INSERT INTO messages (dealer_id, kind, lead_id, message_id, received_at) VALUES "
            "('mueller', 'lead', $1, '<first@mobile.de>', now() - interval '2 hours'), "
            "('mueller', 'reply', $1, '<second@example.org>', now() - interval '1 hour')",
            {std::to_string(lead)});
    test::add_pending_event(db, lead, "level1", "schmidt");
    return lead;
}

} // namespace

TEST_CASE("leadctl reply queues a threaded reply with the tracking address, counted as the "
          "reaction, and leadd sends it",
          "[reply]") {
    test::FakeSmtpServer smtp;
    test::TestDatabase db;
    auto config = write_config(smtp.address());
    auto lead = lead_with_thread(db);
    auto run = leadctl(
        db, config,
        {"reply", "--lead", std::to_string(lead), "--user", "schmidt", "--body-file", body_file()});
    INFO(run.err);
    REQUIRE(run.rc == 0);
    CHECK(run.out.find("reply to jana.krueger@example.org queued as <leadrouter.reply.") !=
          std::string::npos);
    CHECK(db.exec("SELECT state || '/' || responded_by FROM leads WHERE id = $1",
                  {std::to_string(lead)})
              .text(0, 0) == "responded/schmidt");
    CHECK(db.exec("SELECT count(*) FROM scheduled_events WHERE state = 'pending'").integer(0, 0) ==
          0);

    CHECK(test::run_program(
              {LEADD_BINARY, "--config", config, "--database", db.conninfo(), "--once"}) == 0);
    auto messages = smtp.accepted();
    REQUIRE(messages.size() == 1);
    const auto& data = messages[0].data;
    CHECK(messages[0].to == std::vector<std::string>{"jana.krueger@example.org"});
    CHECK(data.find("In-Reply-To: <second@example.org>") != std::string::npos);
    CHECK(data.find("References: <first@mobile.de> <second@example.org>") != std::string::npos);
    CHECK(data.find("Reply-To: mueller+t0k3n@dein.auto") != std::string::npos);
    CHECK(data.find("Auto-Submitted") == std::string::npos);
    CHECK(data.find("Subject: Ihre Anfrage bei Autohaus =?UTF-8?") != std::string::npos);
}

TEST_CASE("leadctl reply --expose attaches the vehicle's exposé of the configured type",
          "[reply]") {
    test::FakeSmtpServer smtp;
    test::TestDatabase db;
    auto config = write_config(smtp.address());
    auto lead = lead_with_thread(db);
    auto pdf = std::filesystem::path(expose_dir()) / "leadrouter-test-expose.pdf";
    std::ofstream(pdf) << "%PDF-1.4\n%test exposé\n";
    give_expose(db, lead, pdf.string());
    auto run = leadctl(db, config,
                       {"reply", "--lead", std::to_string(lead), "--user", "schmidt", "--body-file",
                        body_file(), "--expose"});
    INFO(run.err);
    REQUIRE(run.rc == 0);
    CHECK(run.out.find("with the exposé") != std::string::npos);
    auto content = db.exec("SELECT convert_from(content, 'UTF8') FROM outbox").text(0, 0);
    CHECK(content.find("application/pdf") != std::string::npos);
    CHECK(content.find("filename") != std::string::npos);
    CHECK(content.find("JVBERi0xLjQK") != std::string::npos); // "%PDF-1.4\n", base64
}

TEST_CASE("an exposé swapped for a link out of the exposé directory after the import is not "
          "mailed",
          "[reply][attack]") {
    test::FakeSmtpServer smtp;
    test::TestDatabase db;
    auto config = write_config(smtp.address());
    auto lead = lead_with_thread(db);
    auto pdf = std::filesystem::path(expose_dir()) / "leadrouter-swapped-expose.pdf";
    std::filesystem::remove(pdf);
    std::filesystem::create_symlink("/etc/passwd", pdf); // was a PDF when it was imported
    give_expose(db, lead, pdf.string());
    auto run = leadctl(db, config,
                       {"reply", "--lead", std::to_string(lead), "--user", "schmidt", "--body-file",
                        body_file(), "--expose"});
    CHECK(run.rc == 1);
    CHECK(run.err.find("is outside the exposé directory") != std::string::npos);
    CHECK(run.err.find("nothing was sent") != std::string::npos);
    CHECK(db.exec("SELECT count(*) FROM outbox").integer(0, 0) == 0);
    std::filesystem::remove(pdf);
}

TEST_CASE("a --body-file larger than 256 KiB is refused before it is read", "[reply][attack]") {
    test::TestDatabase db;
    auto config = write_config("127.0.0.1:25");
    auto lead = lead_with_thread(db);
    auto huge = std::filesystem::temp_directory_path() /
                ("leadrouter-huge-body-" + std::to_string(getpid()) + ".txt");
    std::ofstream(huge) << "Guten Tag";
    std::filesystem::resize_file(huge, 300 * 1024);
    auto run = leadctl(db, config,
                       {"reply", "--lead", std::to_string(lead), "--user", "schmidt", "--body-file",
                        huge.string()});
    CHECK(run.rc == 1);
    CHECK(run.err == "leadctl reply: " + huge.string() +
                         ": is larger than 256 KiB; a reply is text a person wrote\n");
    CHECK(db.exec("SELECT count(*) FROM outbox").integer(0, 0) == 0);
    std::filesystem::remove(huge);
}

TEST_CASE("leadctl reply --expose without an exposé, or with expose: none, says why", "[reply]") {
    test::TestDatabase db;
    auto lead = lead_with_thread(db);
    auto missing = leadctl(db, write_config("127.0.0.1:25"),
                           {"reply", "--lead", std::to_string(lead), "--user", "schmidt",
                            "--body-file", body_file(), "--expose"});
    CHECK(missing.rc == 1);
    CHECK(missing.err.find("has no exposé of type \"standard\"") != std::string::npos);
    auto none = leadctl(db, write_config("127.0.0.1:25", "expose: standard", "expose: none"),
                        {"reply", "--lead", std::to_string(lead), "--user", "schmidt",
                         "--body-file", body_file(), "--expose"});
    CHECK(none.rc == 1);
    CHECK(none.err.find("attaches no exposé (expose: none)") != std::string::npos);
    CHECK(db.exec("SELECT count(*) FROM outbox").integer(0, 0) == 0);
    CHECK(db.exec("SELECT state FROM leads WHERE id = $1", {std::to_string(lead)}).text(0, 0) ==
          "assigned");
}

TEST_CASE("lead_tracking: true refuses leadctl reply with a clear message", "[reply]") {
    test::TestDatabase db;
    auto lead = lead_with_thread(db);
    auto run = leadctl(
        db, write_config("127.0.0.1:25", "lead_tracking: false", "lead_tracking: true"),
        {"reply", "--lead", std::to_string(lead), "--user", "schmidt", "--body-file", body_file()});
    CHECK(run.rc == 1);
    CHECK(run.err == "leadctl reply: dealer mueller uses lead tracking (lead_tracking: true): "
                     "mails can only be viewed, replies are written in the mail program\n"
                     "leadctl reply: nothing was sent\n");
    CHECK(db.exec("SELECT count(*) FROM outbox").integer(0, 0) == 0);
}

TEST_CASE("with Postfix's smtp-sink: a reply with the exposé arrives with threading headers "
          "and the attachment",
          "[reply][smtp-sink]") {
    test::SmtpSink sink;
    test::TestDatabase db;
    auto config = write_config(sink.address());
    auto lead = lead_with_thread(db);
    auto pdf = std::filesystem::path(expose_dir()) / "leadrouter-sink-expose.pdf";
    std::ofstream(pdf) << "%PDF-1.4\n%sink\n";
    give_expose(db, lead, pdf.string());
    REQUIRE(leadctl(db, config,
                    {"reply", "--lead", std::to_string(lead), "--user", "schmidt", "--body-file",
                     body_file(), "--expose"})
                .rc == 0);
    CHECK(test::run_program(
              {LEADD_BINARY, "--config", config, "--database", db.conninfo(), "--once"}) == 0);
    REQUIRE(
        test::eventually([&] { return sink.messages().size() == 1; }, std::chrono::seconds(10)));
    auto message = sink.messages()[0];
    CHECK(message.find("X-Mail-Args: <mueller@dein.auto>") != std::string::npos);
    CHECK(message.find("X-Rcpt-Args: <jana.krueger@example.org>") != std::string::npos);
    CHECK(message.find("In-Reply-To: <second@example.org>") != std::string::npos);
    CHECK(message.find("References: <first@mobile.de> <second@example.org>") != std::string::npos);
    CHECK(message.find("Reply-To: mueller+t0k3n@dein.auto") != std::string::npos);
    CHECK(message.find("Content-Type: application/pdf") != std::string::npos);
    CHECK(message.find("JVBERi0xLjQK") != std::string::npos);
    CHECK(db.exec("SELECT state FROM outbox").text(0, 0) == "sent");
}
