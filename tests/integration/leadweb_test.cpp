// Issue #15, items 2–4: leadweb in its own process against a real
// PostgreSQL. GET and HEAD only show; the page's POST acts, once; every
// bad link gets its own page and changes nothing; another Host, a large
// body, a slow client are cut off.
#include "leadweb_harness.hpp"

#include <csignal>
#include <fstream>
#include <future>
#include <thread>

using namespace lr;
using namespace std::chrono_literals;
using core::LeadAction;
using test::WebHarness;

namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

long long count(const WebHarness& h, const std::string& sql) {
    return h.db.exec(sql).integer(0, 0);
}

std::string lead_field(const WebHarness& h, long long lead, const std::string& column) {
    return h.db
        .exec("SELECT coalesce(" + column + "::text, '') FROM leads WHERE id = $1",
              {std::to_string(lead)})
        .text(0, 0);
}

std::string actions(const WebHarness& h, long long lead) {
    return h.db
        .exec("SELECT coalesce(string_agg(action || ':' || user_id || ':' || channel, ' ' ORDER "
              "BY id), '') FROM lead_actions WHERE lead_id = $1",
              {std::to_string(lead)})
        .text(0, 0);
}

// A lead of schmidt's with a reminder and a level-1 escalation pending.
long long schmidts_lead(const WebHarness& h, const std::string& email) {
    const long long lead =
        test::add_lead(h.db, {.email = email, .state = "assigned", .assignee = "schmidt"});
    test::add_pending_event(h.db, lead, "reminder", "schmidt");
    test::add_pending_event(h.db, lead, "level1", "schmidt");
    return lead;
}

} // namespace

TEST_CASE("leadweb: GET and HEAD show the lead and one button, and change nothing",
          "[leadweb][integration]") {
    WebHarness h;
    const long long lead = test::pool_lead(h.db, "kunde.get@example.org");
    const std::string token = h.token(lead, "weber", LeadAction::claim);
    const std::string before = h.snapshot();
    for (int i = 0; i < 3; ++i) { // a mail scanner fetches every link, more than once
        auto page = h.get(token);
        REQUIRE(page.status == 200);
        CHECK(contains(page.body, "Diese Anfrage übernehmen?"));
        CHECK(contains(page.body, "<form method=\"post\">"));
        CHECK(contains(page.body, "<button type=\"submit\">Übernehmen</button>"));
        CHECK(contains(page.body, "kunde.get") == false); // the page shows no address
        CHECK(contains(page.body, "im Pool"));
        CHECK(page.headers["referrer-policy"] == "no-referrer");
        CHECK(contains(page.headers["content-security-policy"], "frame-ancestors 'none'"));
        auto head = h.get(token, "HEAD");
        CHECK(head.status == 200);
        CHECK(head.body.empty());
    }
    CHECK(h.snapshot() == before);
    CHECK(lead_field(h, lead, "assignee") == "pool");
}

TEST_CASE(
    "leadweb: the page's POST claims the pool lead, audited as web, and the link is used then",
    "[leadweb][integration]") {
    WebHarness h;
    const long long lead = test::pool_lead(h.db, "kunde.claim@example.org");
    const std::string token = h.token(lead, "weber", LeadAction::claim);
    auto done = h.post(token);
    REQUIRE(done.status == 200);
    CHECK(contains(done.body, "Sie haben die Anfrage übernommen"));
    CHECK(lead_field(h, lead, "assignee") == "weber");
    CHECK(actions(h, lead) == "claim:weber:web");
    CHECK(count(h, "SELECT count(*) FROM assignments WHERE lead_id = " + std::to_string(lead) +
                       " AND user_id = 'weber' AND rule = 'claim'") == 1);

    // The same link again (a second tap, a scanner's replay): nothing more.
    const std::string after = h.snapshot();
    auto again = h.post(token);
    CHECK(again.status == 409);
    CHECK(contains(again.body, "Dieser Link gilt nicht mehr"));
    CHECK(contains(again.body, "sie ist Ihnen zugewiesen"));
    CHECK(h.get(token).status == 409);
    CHECK(h.snapshot() == after);
    // The token is never logged; its fingerprint is.
    const std::string log = test::read_text_file(h.log_file);
    CHECK_FALSE(contains(log, token));
    CHECK(contains(log, web::token_fingerprint(token)));
}

TEST_CASE("leadweb: two users claim one pool lead at once: one wins, the other's page names "
          "the winner",
          "[leadweb][integration]") {
    WebHarness h;
    for (int round = 0; round < 5; ++round) {
        const long long lead =
            test::pool_lead(h.db, "kunde.race" + std::to_string(round) + "@example.org");
        const std::string weber = h.token(lead, "weber", LeadAction::claim);
        const std::string schmidt = h.token(lead, "schmidt", LeadAction::claim);
        auto first = std::async(std::launch::async, [&] { return h.post(weber); });
        auto second = std::async(std::launch::async, [&] { return h.post(schmidt); });
        auto a = first.get();
        auto b = second.get();
        INFO("round " << round << ": " << a.status << " / " << b.status);
        REQUIRE(((a.status == 200 && b.status == 409) || (a.status == 409 && b.status == 200)));
        const std::string winner = lead_field(h, lead, "assignee");
        const auto& loser_page = a.status == 409 ? a.body : b.body;
        CHECK(winner == (a.status == 200 ? "weber" : "schmidt"));
        CHECK(contains(loser_page, (winner == "weber" ? "Jonas Weber" : "Anna Schmidt") +
                                       std::string(" hat sie jetzt")));
        CHECK(actions(h, lead) == "claim:" + winner + ":web");
        // The pool lead is the oldest no more: the next round's lead is.
        h.db.exec("UPDATE leads SET state = 'closed' WHERE id = $1", {std::to_string(lead)});
    }
}

TEST_CASE("leadweb: tampered, expired, other user's and used links each get their own page and "
          "change nothing",
          "[leadweb][integration]") {
    WebHarness h(test::Replacements{});
    const long long lead = schmidts_lead(h, "kunde.bad@example.org");
    const std::string good = h.token(lead, "schmidt", LeadAction::react);
    const std::string before = h.snapshot();

    std::string tampered = good;
    tampered[tampered.size() / 3] = tampered[tampered.size() / 3] == 'A' ? 'B' : 'A';
    const std::string other_key = web::sign_token(
        {lead, "schmidt", LeadAction::react, WebHarness::now() + 1h, h.version(lead)},
        "somebody-elses-key-0123456789abcdef0123");
    const std::string expired = web::sign_token(
        {lead, "schmidt", LeadAction::react, WebHarness::now() - 1s, h.version(lead)}, h.key);
    // yilmaz is neither schmidt's substitute nor supervisor.
    const std::string not_his = h.token(lead, "yilmaz", LeadAction::react);
    const std::string stranger = h.token(lead, "nobody", LeadAction::react);

    struct Case {
        std::string name, token;
        long status;
        std::string says;
    };
    for (const auto& [name, token, status, says] : std::vector<Case>{
             {"tampered", tampered, 404, "Dieser Link ist ungültig"},
             {"cut off", good.substr(0, good.size() - 5), 404, "Dieser Link ist ungültig"},
             {"another key", other_key, 404, "Dieser Link ist ungültig"},
             {"expired", expired, 410, "Dieser Link ist abgelaufen"},
             {"another user's", not_his, 403,
              "Die Anfrage ist Anna Schmidt zugewiesen, nicht Ihnen."},
             {"no such user", stranger, 403, "gehört zu keinem Benutzer"},
             {"garbage", "..%ff%fe%22%3Cx", 404, "Dieser Link ist ungültig"}}) {
        INFO(name);
        for (const char* method : {"GET", "POST"}) {
            auto reply = method == std::string("GET") ? h.get(token) : h.post(token);
            CHECK(reply.status == status);
            CHECK(contains(reply.body, says));
        }
    }
    CHECK(h.snapshot() == before);

    // Used: the lead changed after the link was made (here: by the link).
    REQUIRE(h.post(good).status == 200);
    const std::string used = h.snapshot();
    auto reply = h.post(good);
    CHECK(reply.status == 409);
    CHECK(contains(reply.body, "Die Anfrage ist inzwischen beantwortet"));
    CHECK(h.snapshot() == used);
}

TEST_CASE("leadweb: answered, resubmitted, reassigned through links, through leadctl's store "
          "functions",
          "[leadweb][integration]") {
    WebHarness h(test::Replacements{});
    SECTION("Beantwortet: responded, reminders and escalations end") {
        const long long lead = schmidts_lead(h, "kunde.react@example.org");
        auto reply = h.post(h.token(lead, "schmidt", LeadAction::react));
        REQUIRE(reply.status == 200);
        CHECK(contains(reply.body, "Die Anfrage ist als beantwortet vermerkt"));
        CHECK(lead_field(h, lead, "state") == "responded");
        CHECK(lead_field(h, lead, "responded_by") == "schmidt");
        CHECK(count(h, "SELECT count(*) FROM scheduled_events WHERE lead_id = " +
                           std::to_string(lead) + " AND state = 'pending'") == 0);
        CHECK(actions(h, lead) == "reaction:schmidt:web");
    }
    SECTION("Wiedervorlage: the page asks when; a time in the past or none is asked again") {
        const long long lead = schmidts_lead(h, "kunde.resubmit@example.org");
        const std::string token = h.token(lead, "schmidt", LeadAction::resubmit);
        auto page = h.get(token);
        REQUIRE(page.status == 200);
        CHECK(contains(page.body, "type=\"datetime-local\""));
        const std::string before = h.snapshot();
        CHECK(h.post(token).status == 400);
        CHECK(h.post(token, "when=2020-01-02T10%3A00").status == 400);
        CHECK(h.post(token, "when=" + test::form_value("nächste Woche")).status == 400);
        CHECK(h.snapshot() == before);
        const std::string when = date::format(
            "%Y-%m-%dT10:00", date::floor<date::days>(WebHarness::now()) + date::days{3});
        auto reply = h.post(token, "when=" + test::form_value(when));
        REQUIRE(reply.status == 200);
        CHECK(contains(reply.body, "Die Wiedervorlage ist gesetzt"));
        CHECK(count(h, "SELECT count(*) FROM scheduled_events WHERE lead_id = " +
                           std::to_string(lead) +
                           " AND kind = 'resubmission' AND state = 'pending'") == 1);
        CHECK(actions(h, lead) == "resubmission:schmidt:web");
    }
    SECTION("Neu zuweisen: the supervisor chooses; the assignee may not") {
        const long long lead = schmidts_lead(h, "kunde.reassign@example.org");
        auto refused = h.get(h.token(lead, "schmidt", LeadAction::reassign));
        CHECK(refused.status == 403);
        CHECK(contains(refused.body, "Neu zuweisen können nur der Vorgesetzte"));
        const std::string token = h.token(lead, "mayer", LeadAction::reassign);
        auto page = h.get(token);
        REQUIRE(page.status == 200);
        CHECK(contains(page.body, "<option value=\"weber\">Jonas Weber</option>"));
        CHECK_FALSE(contains(page.body, "<option value=\"schmidt\">")); // has it already
        CHECK(h.post(token, "to=nobody").status == 400);
        CHECK(h.post(token, "to=pool").status == 403); // not assignable
        auto reply = h.post(token, "to=weber");
        REQUIRE(reply.status == 200);
        CHECK(contains(reply.body, "Die Anfrage ist jetzt Jonas Weber zugewiesen"));
        CHECK(lead_field(h, lead, "assignee") == "weber");
        CHECK(actions(h, lead) == "reassign:mayer:web");
    }
}

TEST_CASE("leadweb: another Host is refused, other paths and methods are not served",
          "[leadweb][integration]") {
    WebHarness h;
    const long long lead = test::pool_lead(h.db, "kunde.host@example.org");
    const std::string token = h.token(lead, "weber", LeadAction::claim);
    const std::string before = h.snapshot();
    // DNS rebinding: a page of evil.example that points its name at us.
    for (const std::string& host :
         {std::string("evil.example"), "127.0.0.1:" + std::to_string(h.port),
          std::string("leads.test.evil.example"), std::string("leads.test:8443")}) {
        INFO(host);
        auto reply = test::http("POST", h.link(token), host);
        CHECK(reply.status == 421);
        CHECK(test::http("GET", h.link(token), host).status == 421);
    }
    CHECK(h.snapshot() == before);
    CHECK(test::http("GET", h.base() + "/", test::web_host).status == 404);
    CHECK(test::http("GET", h.base() + "/a/", test::web_host).status == 404);
    auto put = test::http("PUT", h.link(token), test::web_host);
    CHECK(put.status == 405);
    CHECK(put.headers["allow"] == "GET, HEAD, POST");
    CHECK(test::http("DELETE", h.link(token), test::web_host).status == 405);
    auto health = test::http("GET", h.base() + "/healthz");
    CHECK(health.status == 200);
    CHECK(health.body == "ok\n");
    CHECK(h.snapshot() == before);
}

TEST_CASE("leadweb: oversized and slow requests are cut off, the server stays up",
          "[leadweb][integration]") {
    WebHarness h; // request_timeout: 2 (seconds)
    const long long lead = test::pool_lead(h.db, "kunde.slow@example.org");
    const std::string token = h.token(lead, "weber", LeadAction::claim);
    const std::string before = h.snapshot();

    // A body over 64 KiB: 413 before it is read.
    auto large = h.post(token, "when=" + std::string(100 * 1024, 'x'));
    CHECK(large.status == 413);
    // Headers over the connection's memory: refused, never buffered.
    auto flood = test::send_raw(h.port,
                                "GET /a/" + token + " HTTP/1.1\r\nHost: leads.test\r\nX-Flood: " +
                                    std::string(64 * 1024, 'y') + "\r\n\r\n",
                                20s);
    REQUIRE(flood);
    CHECK((flood->empty() || contains(*flood, " 431 ") || contains(*flood, " 413 ")));
    // Half a request line, then nothing: closed after request_timeout.
    auto half = test::send_raw(h.port, "GET /a/" + token.substr(0, 10), 20s);
    REQUIRE(half); // closed by the server, not still open after 20 s
    CHECK(half->find("200") == std::string::npos);
    // A POST that promises a body and never sends it: closed as well.
    auto no_body = test::send_raw(h.port,
                                  "POST /a/" + token +
                                      " HTTP/1.1\r\nHost: leads.test\r\nContent-Type: "
                                      "application/x-www-form-urlencoded\r\nContent-Length: 100"
                                      "\r\n\r\nwhen=",
                                  20s);
    REQUIRE(no_body);
    CHECK(h.snapshot() == before);
    // And the server still answers.
    CHECK(h.get(token).status == 200);
    CHECK(h.process->running());
}

TEST_CASE("leadweb: a key rotation by SIGHUP: the new key signs, the old one verifies until it "
          "is removed, a broken key file keeps the old keys",
          "[leadweb][integration]") {
    WebHarness h;
    const long long lead = test::pool_lead(h.db, "kunde.rotate@example.org");
    const std::string new_key = "the-next-link-key-0123456789abcdef01234567";
    const auto expires = WebHarness::now() + 1h;
    const std::string old_link = h.token(lead, "weber", LeadAction::claim);
    const std::string new_link =
        web::sign_token({lead, "weber", LeadAction::claim, expires, h.version(lead)}, new_key);
    const auto rewrite = [&](const std::string& text) {
        std::ofstream(h.secret_file, std::ios::trunc) << text;
        h.process->signal(SIGHUP);
    };
    CHECK(h.get(new_link).status == 404);

    rewrite(new_key + "\n" + h.key + "\n"); // rotation: both verify
    CHECK(test::eventually([&] { return h.get(new_link).status == 200; }, 10s));
    CHECK(h.get(old_link).status == 200);

    rewrite(new_key + "\n"); // the old links have expired: the old key goes
    CHECK(test::eventually([&] { return h.get(old_link).status == 404; }, 10s));
    CHECK(h.get(new_link).status == 200);

    rewrite("short\n"); // refused: the keys before stay
    CHECK(test::eventually(
        [&] {
            return test::read_text_file(h.log_file).find("reload rejected") != std::string::npos;
        },
        10s));
    CHECK(h.get(new_link).status == 200);
    CHECK(h.process->running());
}

TEST_CASE(
    "leadweb: the LMS reply page sends the salesperson's text (and the exposé) to the "
    "customer through leadctl reply's code, tracking mode and send_external_mail false say no",
    "[leadweb][integration][reply]") {
    const auto exposes =
        std::filesystem::temp_directory_path() / ("leadweb-exposes-" + std::to_string(getpid()));
    std::filesystem::create_directories(exposes);
    WebHarness h({test::expose_dir_at(exposes.string())});
    const long long lead = schmidts_lead(h, "jana.krueger@example.org");
    h.db.exec("INSERT INTO messages (dealer_id, kind, lead_id, message_id, received_at) VALUES "
              "('mueller', 'lead', $1, '<first@mobile.de>', now() - interval '1 hour')",
              {std::to_string(lead)});
    const std::string token = h.token(lead, "schmidt", LeadAction::reply);

    auto page = h.get(token);
    REQUIRE(page.status == 200);
    CHECK(contains(page.body, "<h1>Dem Kunden antworten</h1>"));
    CHECK(contains(page.body, "<textarea id=\"text\" name=\"text\""));
    CHECK(contains(page.body, "Exposé anhängen"));
    const std::string before = h.snapshot();
    CHECK(h.post(token, "text=+%0D%0A").status == 400); // nothing written
    auto no_expose = h.post(token, "text=Hallo&expose=1");
    CHECK(no_expose.status == 403);
    CHECK(contains(no_expose.body, "Zu diesem Fahrzeug liegt kein Exposé vor"));
    CHECK(h.snapshot() == before);

    const auto pdf = exposes / "web-expose.pdf";
    std::ofstream(pdf) << "%PDF-1.4\n%web exposé\n";
    h.db.exec("WITH v AS (INSERT INTO vehicles (dealer_id, internal_number) VALUES ('mueller', "
              "'HH-2231') RETURNING id), e AS (INSERT INTO vehicle_exposes (vehicle_id, type, "
              "path) SELECT id, 'standard', $2 FROM v) UPDATE leads SET vehicle_id = (SELECT id "
              "FROM v) WHERE id = $1",
              {std::to_string(lead), pdf.string()});
    // As a browser sends a textarea: CRLF line ends.
    const std::string text = "Guten Tag Frau Krüger,\r\nder Golf ist noch da. <b>Probefahrt?</b>";
    auto done = h.post(h.token(lead, "schmidt", LeadAction::reply),
                       "text=" + test::form_value(text) + "&expose=1");
    REQUIRE(done.status == 200);
    CHECK(contains(done.body, "An: jana.krueger@example.org, mit Exposé."));
    auto queued = h.db.exec("SELECT kind, array_to_string(recipients, ','), "
                            "convert_from(content, 'UTF8') FROM outbox WHERE lead_id = $1",
                            {std::to_string(lead)});
    REQUIRE(queued.size() == 1);
    CHECK(queued.text(0, 0) == "reply");
    CHECK(queued.text(0, 1) == "jana.krueger@example.org");
    const std::string mail = queued.text(0, 2);
    CHECK(contains(mail, "In-Reply-To: <first@mobile.de>"));
    CHECK(contains(mail, "application/pdf"));
    CHECK(contains(mail, "&lt;b&gt;Probefahrt?&lt;/b&gt;")); // the HTML part escapes it
    INFO(mail);
    CHECK(contains(mail, "ger,<br>"));
    CHECK_FALSE(contains(mail, "=0D")); // one line end, not a stray CR (quoted-printable)
    CHECK_FALSE(contains(mail, "\r<br>"));
    CHECK(lead_field(h, lead, "state") == "responded");
    CHECK(actions(h, lead) == "reply:schmidt:web");
    std::filesystem::remove_all(exposes);
}

TEST_CASE("leadweb: no reply page where the dealer only tracks leads or mails no customers",
          "[leadweb][integration][reply]") {
    for (const auto& [setting, says] : std::vector<std::pair<test::Replacements, std::string>>{
             {{{"lead_tracking: false", "lead_tracking: true"}}, "verfolgt Anfragen nur"},
             {{{"send_external_mail: true", "send_external_mail: false"}},
              "versendet keine E-Mails an Kunden"}}) {
        WebHarness h(setting);
        const long long lead = schmidts_lead(h, "kunde.tracked@example.org");
        const std::string token = h.token(lead, "schmidt", LeadAction::reply);
        const std::string before = h.snapshot();
        for (const char* method : {"GET", "POST"}) {
            auto reply = method == std::string("GET") ? h.get(token) : h.post(token, "text=Hallo");
            CHECK(reply.status == 403);
            CHECK(contains(reply.body, says));
        }
        CHECK(h.snapshot() == before);
    }
}
