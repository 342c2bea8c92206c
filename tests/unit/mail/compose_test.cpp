#include "mail/compose.hpp"
#include "mail/header_value.hpp"

#include <catch2/catch.hpp>

using namespace lr;

namespace {

mail::OutgoingMail sample() {
    mail::OutgoingMail m;
    m.from_name = "Autohaus Müller – Anfragen";
    m.from_address = "mueller@dein.auto";
    m.to = {"a.schmidt@autohaus-mueller.example"};
    m.subject = "Neue Anfrage 17: Jana Krüger – VW Golf";
    m.message_id = "leadrouter.event.17@dein.auto";
    m.date = *core::parse_iso8601("2026-12-04T15:00:00+01:00", date::locate_zone("UTC"));
    m.text = "Grüße aus Hamburg\n";
    m.html = "<p>Grüße aus Hamburg</p>";
    return m;
}

std::vector<std::string> header_lines(const std::string& message) {
    std::vector<std::string> lines;
    size_t start = 0;
    for (;;) {
        size_t end = message.find("\r\n", start);
        if (end == std::string::npos || end == start)
            return lines;
        lines.push_back(message.substr(start, end - start));
        start = end + 2;
    }
}

bool has_header(const std::string& message, const std::string& name) {
    for (const auto& line : header_lines(message))
        if (line.rfind(name + ":", 0) == 0)
            return true;
    return false;
}

} // namespace

TEST_CASE("header values lose CR, LF and control characters and are capped", "[mail]") {
    CHECK(mail::header_value("Jana\r\nBcc: evil@example.org") == "Jana Bcc: evil@example.org");
    CHECK(mail::header_value("  a\t\tb \x01 c  ") == "a b c");
    CHECK(mail::header_value(std::string(10000, 'x')).size() == 200);
    CHECK(mail::header_value("Müller", 3) == "Mül");
    CHECK(mail::html_escape("<b>\"Tom\" & 'Jerry'</b>") ==
          "&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;/b&gt;");
}

TEST_CASE("a composed notice: encoded From and Subject, Message-ID, alternative parts, CRLF",
          "[mail]") {
    auto message = mail::compose(sample());
    CHECK(message.find("\r\n") != std::string::npos);
    CHECK(message.find("\n") == message.find("\r\n") + 1);
    CHECK(message.find("Message-Id: <leadrouter.event.17@dein.auto>") != std::string::npos);
    auto header = [&](const std::string& name) {
        for (const auto& line : header_lines(message))
            if (line.rfind(name + ": ", 0) == 0)
                return line;
        return std::string();
    };
    // RFC 2047 encoded words for the non-ASCII words; ASCII only on the wire.
    CHECK(header("From").find("=?UTF-8?") != std::string::npos);
    CHECK(header("From").find("<mueller@dein.auto>") != std::string::npos);
    CHECK(header("Subject").find("=?UTF-8?") != std::string::npos);
    for (unsigned char c : message)
        REQUIRE(c < 0x80);
    CHECK(message.find("charset=utf-8") != std::string::npos);
    CHECK((message.find("Content-Transfer-Encoding: quoted-printable") != std::string::npos ||
           message.find("Content-Transfer-Encoding: base64") != std::string::npos));
    CHECK(message.find("Auto-Submitted: auto-generated") != std::string::npos);
    CHECK(message.find("multipart/alternative") != std::string::npos);
    CHECK(message.find("text/plain") != std::string::npos);
    CHECK(message.find("text/html") != std::string::npos);
    CHECK(message.find("Date: Fri, 04 Dec 2026 14:00:00 +0000") != std::string::npos);
    CHECK(message.find("Grüße") == std::string::npos); // 8-bit text is transfer-encoded
}

TEST_CASE("customer-supplied values cannot inject headers", "[mail]") {
    auto m = sample();
    m.subject = "Anfrage\r\nBcc: evil@example.org\r\nX-Injected: yes";
    m.from_name = "Autohaus\nCc: evil@example.org";
    m.to = {"a.schmidt@autohaus-mueller.example\r\nBcc: evil@example.org"};
    auto message = mail::compose(m);
    CHECK_FALSE(has_header(message, "Bcc"));
    CHECK_FALSE(has_header(message, "Cc"));
    CHECK_FALSE(has_header(message, "X-Injected"));
}

TEST_CASE("threading headers and attachments", "[mail]") {
    auto m = sample();
    m.in_reply_to = "abc@mobile.de";
    m.references = {"abc@mobile.de", "def@dein.auto"};
    m.auto_submitted = false;
    m.reply_to = "mueller+t0k3n@dein.auto";
    m.attachments = {
        {"Exposé HH-2231.pdf", "application/pdf", std::string("%PDF-1.4\n\0\xff", 11)}};
    auto message = mail::compose(m);
    CHECK(message.find("In-Reply-To: <abc@mobile.de>") != std::string::npos);
    CHECK(message.find("References: <abc@mobile.de> <def@dein.auto>") != std::string::npos);
    CHECK(message.find("Reply-To: mueller+t0k3n@dein.auto") != std::string::npos);
    CHECK_FALSE(has_header(message, "Auto-Submitted"));
    CHECK(message.find("multipart/mixed") != std::string::npos);
    CHECK(message.find("application/pdf") != std::string::npos);
    CHECK(message.find("Content-Transfer-Encoding: base64") != std::string::npos);
    CHECK(message.find("JVBERi0xLjQKAP8=") != std::string::npos); // the PDF bytes, base64
}
