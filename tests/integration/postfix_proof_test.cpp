// Issue #14 end to end: the trusted Authentication-Results as a real
// Postfix 3.7 hands them to leadmilter behind an authenticating milter
// (test_front_milter stands in for OpenDMARC: it inserts its header at the
// top, as OpenDMARC does), with the README's header_checks line that
// removes headers claiming our authserv-id from mail as it arrives.
#include "example_config.hpp"
#include "lead_seed.hpp"
#include "milter_process.hpp"
#include "postfix_instance.hpp"
#include "process.hpp"
#include "smtp_client.hpp"
#include "smtp_sink.hpp"
#include "test_database.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>
#include <unistd.h>

using namespace lr;

namespace {

// The front milter on a loopback port, saying result for every message.
class FrontMilter {
public:
    FrontMilter(int port, const std::string& result)
        : m_socket("inet:" + std::to_string(port) + "@127.0.0.1"),
          m_process({FRONT_MILTER_BINARY, m_socket, "mx.dein.auto; " + result},
                    (std::filesystem::temp_directory_path() /
                     ("front-milter-" + std::to_string(port) + ".log"))
                        .string()) {
        REQUIRE(test::eventually([&] { return test::can_connect(m_socket); },
                                 std::chrono::seconds(10)));
    }
    ~FrontMilter() {
        m_process.signal(SIGTERM);
        m_process.wait(std::chrono::seconds(10));
    }

private:
    std::string m_socket;
    test::ChildProcess m_process;
};

int occurrences(const std::string& text, const std::string& part) {
    int found = 0;
    for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1))
        ++found;
    return found;
}

} // namespace

TEST_CASE("through Postfix: a forged trusted Authentication-Results is gone before any milter "
          "sees it (header_checks), is not read even without that line, and the front milter's own "
          "at the top proves the reaction",
          "[postfix][e2e][proof][attack]") {
    const bool header_checks = GENERATE(true, false);
    INFO("header_checks: " << header_checks);
    test::TestDatabase db;
    test::SmtpSink sink;
    const int milter_port = test::free_loopback_port();
    const int front_port = test::free_loopback_port();
    test::MilterProcess milter(
        LEADMILTER_BINARY,
        test::write_example_config({{"    socket: \"unix:/run/leadmilter/milter.sock\"",
                                     "    socket: \"unix:/run/leadmilter/milter.sock\"\n"
                                     "    trusted_authserv_ids: [mx.dein.auto]"}}),
        db.conninfo(), "inet:" + std::to_string(milter_port) + "@127.0.0.1");
    const auto checks = std::filesystem::temp_directory_path() /
                        ("leadrouter-header-checks-" + std::to_string(getpid()));
    std::ofstream(checks) << "/^Authentication-Results:[[:space:]]*mx\\.dein\\.auto"
                             "([[:space:]]|;|$)/ IGNORE\n";
    test::PostfixInstance mx(
        {"mx", sink.address(),
         "inet:127.0.0.1:" + std::to_string(front_port) +
             ", inet:127.0.0.1:" + std::to_string(milter_port),
         header_checks ? std::vector<std::string>{"header_checks = regexp:" + checks.string()}
                       : std::vector<std::string>{}});
    auto lead = test::add_lead(
        db, {.email = "tom.becker@example.net", .state = "assigned", .assignee = "schmidt"});
    test::add_pending_event(db, lead, "level1", "schmidt");
    auto send_answer = [&](const std::string& id, const std::string& top = "") {
        auto reply =
            test::send_mail(mx.smtp_port(), "a.schmidt@autohaus-mueller.example",
                            {"tom.becker@example.net", "mueller@dein.auto"},
                            top +
                                "Authentication-Results: mx.dein.auto; dmarc=pass "
                                "header.from=autohaus-mueller.example\r\n"
                                "From: Anna Schmidt <a.schmidt@autohaus-mueller.example>\r\nTo: "
                                "tom.becker@example.net\r\nCc: mueller@dein.auto\r\nSubject: Ihr "
                                "Golf\r\nMessage-ID: "
                                "<" +
                                id + "@autohaus-mueller.example>\r\n\r\nGerne.\r\n");
        INFO(reply.text << test::read_text_file(milter.log_file()));
        REQUIRE(reply.ok());
    };
    auto arrived = [&](size_t n) {
        REQUIRE(test::eventually([&] { return sink.messages().size() >= n; },
                                 std::chrono::seconds(30)));
        std::this_thread::sleep_for(std::chrono::milliseconds(300)); // the file is complete
        return sink.messages().at(n - 1);
    };
    auto lead_row = [&] {
        return db.exec("SELECT state, coalesce(responded_by, ''), (SELECT count(*) FROM "
                       "scheduled_events WHERE state = 'pending') FROM leads WHERE id = $1",
                       {std::to_string(lead)});
    };

    {
        // The forged pass below a header of the message: leadmilter deletes
        // exactly that one (Postfix counts the occurrences as we do).
        FrontMilter front(front_port, "dmarc=fail header.from=autohaus-mueller.example");
        send_answer("below", "Received: from relay.attacker.example by mx.attacker.example\r\n");
        const std::string message = arrived(1);
        CHECK(occurrences(message, "Authentication-Results:") == 1);
        CHECK(message.find("dmarc=fail") != std::string::npos);
        CHECK(message.find("dmarc=pass") == std::string::npos);
        CHECK(lead_row().text(0, 0) == "assigned");
    }
    {
        // The mail really failed DMARC; it claims our pass in a header of its own.
        FrontMilter front(front_port, "dmarc=fail header.from=autohaus-mueller.example");
        send_answer("forged");
        const std::string message = arrived(2);
        // Without the line the forged header stays in the mail (right
        // below the front milter's), unread by leadmilter.
        CHECK(occurrences(message, "Authentication-Results:") == (header_checks ? 1 : 2));
        CHECK((message.find("dmarc=pass") == std::string::npos) == header_checks);
        CHECK(message.find("X-Lead-Class: unassignable; reason=unverified_sender") !=
              std::string::npos);
        auto row = lead_row();
        CHECK(row.text(0, 0) == "assigned");
        CHECK(row.integer(0, 2) == 1);
    }
    {
        FrontMilter front(front_port, "dmarc=pass header.from=autohaus-mueller.example");
        send_answer("genuine");
        const std::string message = arrived(3);
        CHECK(occurrences(message, "Authentication-Results:") == (header_checks ? 1 : 2));
        CHECK(message.find("X-Lead-Class: reaction") != std::string::npos);
        auto row = lead_row();
        CHECK(row.text(0, 0) == "responded");
        CHECK(row.text(0, 1) == "schmidt");
        CHECK(row.integer(0, 2) == 0);
    }
    std::filesystem::remove(checks);
}
