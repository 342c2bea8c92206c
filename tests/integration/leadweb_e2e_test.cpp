// Issue #15, items 2–4 end to end: the production processes in daemon
// mode (leadmilter behind a private Postfix, leadd sending to smtp-sink,
// leadweb), a customer's mail through Postfix, the pool notices at the
// sink with their links. Weber opens his "Übernehmen" link in a real
// browser (headless Chromium) and presses the button; schmidt's link then
// names the winner; weber's next notice carries "Beantwortet", which
// answers the lead.
#include "example_config.hpp"
#include "http_client.hpp"
#include "lead_seed.hpp"
#include "milter_process.hpp"
#include "postfix_instance.hpp"
#include "process.hpp"
#include "sink_mails.hpp"
#include "smtp_client.hpp"
#include "smtp_sink.hpp"
#include "test_database.hpp"
#include "working_zone.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <cstdlib>
#include <date/tz.h>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sys/stat.h>

using namespace lr;
using namespace std::chrono_literals;

namespace {

// The URL after "label: " in a notice's text, or empty.
std::string link_in(const std::string& text, const std::string& label) {
    const auto at = text.find("\n" + label + ": ");
    if (at == std::string::npos)
        return {};
    const auto start = at + label.size() + 3;
    return text.substr(start, text.find('\n', start) - start);
}

// Waits for a mail to recipient whose subject fits, then gives the label's
// link in the newest such mail (empty when none came within 90 s).
std::string await_link(const test::SmtpSink& sink, const std::string& recipient,
                       const std::string& label,
                       const std::function<bool(const std::string& subject)>& subject_fits) {
    std::string link;
    test::eventually(
        [&] {
            for (const auto& mail : test::sink_mails(sink))
                if (mail.recipient == "<" + recipient + ">" && subject_fits(mail.subject) &&
                    !link_in(mail.text, label).empty())
                    link = link_in(mail.text, label);
            return !link.empty();
        },
        std::chrono::seconds(90));
    return link;
}

std::function<bool(const std::string&)> starts_with(const std::string& start) {
    return [start](const std::string& subject) { return subject.rfind(start, 0) == 0; };
}

std::string lead_state(const test::TestDatabase& db) {
    return db.exec("SELECT state || '/' || coalesce(assignee, '') FROM leads").text(0, 0);
}

} // namespace

TEST_CASE("end to end: a pool lead claimed in a browser through the notice's link, the "
          "slower colleague's link names the winner, then reassigned, resubmitted, replied to "
          "and answered through the links of the notices that follow",
          "[e2e][postfix][leadd][leadweb][browser]") {
    test::TestDatabase db;
    test::SmtpSink sink;
    const std::string secret = test::web_secret_in("leadweb-e2e", db.name());
    const std::filesystem::path dir = std::filesystem::path(secret).parent_path();
    const int web_port = test::free_loopback_port();
    const std::string public_url = "http://127.0.0.1:" + std::to_string(web_port);

    auto replacements = test::round_the_clock();
    replacements.push_back(test::smtp_at(sink.address()).front());
    for (auto& replacement : test::pool_mode(true))
        replacements.push_back(replacement);
    replacements.push_back(test::web_at(public_url, secret));
    const std::string config = test::write_example_config(replacements);

    const int milter_port = test::free_loopback_port();
    test::MilterProcess milter(LEADMILTER_BINARY, config, db.conninfo(),
                               "inet:" + std::to_string(milter_port) + "@127.0.0.1");
    test::PostfixInstance mx(
        {"mx", sink.address(), "inet:127.0.0.1:" + std::to_string(milter_port), {}});
    // leadd's clock 150 s ahead: the claimed lead's reminder is due at once.
    test::ChildProcess leadd(
        {LEADD_BINARY, "--config", config, "--database", db.conninfo(), "--clock-offset", "150"},
        (dir / "leadd.log").string());
    test::ChildProcess leadweb({LEADWEB_BINARY, "--config", config, "--database", db.conninfo(),
                                "--listen", "127.0.0.1:" + std::to_string(web_port)},
                               (dir / "leadweb.log").string());
    REQUIRE(test::eventually(
        [&] { return test::http("GET", public_url + "/healthz").status == 200; }, 20s));

    REQUIRE(test::send_mail(mx.smtp_port(), "kunde.web@example.org", {"mueller@dein.auto"},
                            test::customer_mail("web"))
                .ok());
    std::optional<test::SinkMail> to_weber, to_schmidt;
    REQUIRE(test::eventually(
        [&] {
            to_weber =
                test::find_mail(sink, "j.weber@autohaus-mueller.example", "Neue Anfrage im Pool");
            to_schmidt =
                test::find_mail(sink, "a.schmidt@autohaus-mueller.example", "Neue Anfrage im Pool");
            return to_weber && to_schmidt;
        },
        60s));
    const std::string weber_claims = link_in(to_weber->text, "Übernehmen");
    const std::string schmidt_claims = link_in(to_schmidt->text, "Übernehmen");
    REQUIRE(weber_claims.rfind(public_url + "/a/", 0) == 0);
    REQUIRE(schmidt_claims.rfind(public_url + "/a/", 0) == 0);
    CHECK(weber_claims != schmidt_claims);
    CHECK(lead_state(db) == "assigned/pool");

    // A mail scanner fetches both links first: nothing happens.
    CHECK(test::http("GET", weber_claims).status == 200);
    CHECK(test::http("HEAD", schmidt_claims).status == 200);
    CHECK(lead_state(db) == "assigned/pool");

    // Weber, in a browser: the page, the button, the result.
    const std::string browser_log = (dir / "browser.log").string();
    const int browser = test::run_program(
        {"/usr/bin/python3",
         std::string(LEADROUTER_SOURCE_DIR) + "/tests/browser/act_in_browser.py", weber_claims,
         "Diese Anfrage übernehmen?", "Sie haben die Anfrage übernommen", dir.string()},
        browser_log);
    INFO(test::read_text_file(browser_log));
    REQUIRE(browser == 0);
    CHECK(std::filesystem::file_size(dir / "done.png") > 0);
    CHECK(lead_state(db) == "assigned/weber");

    // Schmidt, a moment later: the link names who has it, and changes nothing.
    auto late = test::http("POST", schmidt_claims);
    CHECK(late.status == 409);
    CHECK(late.body.find("Jonas Weber hat sie jetzt") != std::string::npos);
    CHECK(lead_state(db) == "assigned/weber");

    // With leadd's clock ahead, reminder, level 1 and level 2 follow the
    // claim at once. Mayer's level 2 carries "Neu zuweisen": she gives the
    // lead to schmidt. Weber's reminder links die with that change.
    const std::string reassign = await_link(sink, "p.mayer@autohaus-mueller.example",
                                            "Neu zuweisen", starts_with("Eskalationsstufe 2"));
    const std::string weber_answered =
        await_link(sink, "j.weber@autohaus-mueller.example", "Beantwortet",
                   [](const std::string&) { return true; });
    REQUIRE(!reassign.empty());
    REQUIRE(!weber_answered.empty());
    auto choose = test::http("GET", reassign);
    CHECK(choose.status == 200);
    CHECK(choose.body.find("<option value=\"schmidt\">Anna Schmidt</option>") != std::string::npos);
    REQUIRE(test::http("POST", reassign, "", "to=schmidt").status == 200);
    CHECK(lead_state(db) == "assigned/schmidt");
    CHECK(test::http("POST", weber_answered).status == 409); // the lead changed under it
    CHECK(lead_state(db) == "assigned/schmidt");

    // Schmidt's notice: "Wiedervorlage" in a minute or two (already due on
    // leadd's clock), which brings the resubmission notice.
    const std::string resubmit = await_link(
        sink, "a.schmidt@autohaus-mueller.example", "Wiedervorlage",
        [](const std::string& subject) { return subject.rfind("Wiedervorlage", 0) != 0; });
    REQUIRE(!resubmit.empty());
    const auto when = date::make_zoned(test::working_zone(),
                                       std::chrono::system_clock::now() + std::chrono::minutes(2))
                          .get_local_time();
    const std::string when_text =
        date::format("%Y-%m-%dT%H:%M", date::floor<std::chrono::minutes>(when));
    REQUIRE(test::http("POST", resubmit, "", "when=" + test::form_value(when_text)).status == 200);

    // The resubmission notice carries "Antworten" (LMS mode): schmidt
    // writes to the customer, who gets the mail at the sink.
    const std::string reply_page = await_link(sink, "a.schmidt@autohaus-mueller.example",
                                              "Antworten", starts_with("Wiedervorlage"));
    REQUIRE(!reply_page.empty());
    auto reply_form = test::http("GET", reply_page);
    CHECK(reply_form.status == 200);
    CHECK(reply_form.body.find("<textarea") != std::string::npos);
    REQUIRE(test::http("POST", reply_page, "",
                       "text=" + test::form_value("Guten Tag,\nder Golf GTI ist noch da."))
                .status == 200);
    std::optional<test::SinkMail> to_customer;
    REQUIRE(test::eventually(
        [&] {
            to_customer = test::find_mail(sink, "kunde.web@example.org", "Ihre Anfrage bei");
            return to_customer.has_value();
        },
        60s));
    CHECK(to_customer->text.find("der Golf GTI ist noch da.") != std::string::npos);
    CHECK(lead_state(db) == "responded/schmidt");

    // The customer answers; the new chain's notice to schmidt carries
    // "Beantwortet", which answers the lead again.
    REQUIRE(test::send_mail(mx.smtp_port(), "kunde.web@example.org", {to_customer->reply_to},
                            "From: kunde.web@example.org\r\nTo: " + to_customer->reply_to +
                                "\r\nSubject: AW: Ihre Anfrage\r\nMessage-ID: "
                                "<again@example.org>\r\n\r\nWann kann ich kommen?\r\n")
                .ok());
    const std::string answered =
        await_link(sink, "a.schmidt@autohaus-mueller.example", "Beantwortet",
                   starts_with("Neue Nachricht des Kunden"));
    REQUIRE(!answered.empty());
    auto page = test::http("GET", answered);
    CHECK(page.status == 200);
    CHECK(page.body.find("Diese Anfrage als beantwortet vermerken?") != std::string::npos);
    CHECK(test::http("POST", answered).status == 200);
    CHECK(db.exec("SELECT state || '/' || coalesce(responded_by, '') FROM leads").text(0, 0) ==
          "responded/schmidt");
    CHECK(db.exec("SELECT string_agg(action || ':' || user_id || ':' || channel, ' ' ORDER BY id) "
                  "FROM lead_actions")
              .text(0, 0) == "claim:weber:web reassign:mayer:web resubmission:schmidt:web "
                             "reply:schmidt:web reaction:schmidt:web");
    leadweb.signal(SIGTERM);
    CHECK(leadweb.wait(10s) == 0);
    leadd.signal(SIGTERM);
    CHECK(leadd.wait(10s) == 0);
    if (!std::getenv("LEADROUTER_KEEP_SCREENSHOTS")) // to look at them
        std::filesystem::remove_all(dir);
}
