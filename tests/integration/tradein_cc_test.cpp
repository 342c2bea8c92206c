// The trade-in CC end to end (SPEC §5.3, issue #7): a trade-in request
// through Postfix and leadmilter; leadd sends the CC with the core-data PDF
// and the original; the forward target receives the original unchanged.
#include "example_config.hpp"
#include "mail/gobject_ptr.hpp"
#include "milter_process.hpp"
#include "postfix_instance.hpp"
#include "process.hpp"
#include "sink_message.hpp"
#include "smtp_client.hpp"
#include "smtp_sink.hpp"
#include "test_database.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <gmime/gmime.h>
#include <thread>

using namespace lr;
using mail::GObjectPtr;

using test::body_of;
using test::lf;

namespace {

// A customer's request as a website form writes it, with a (pretend) DKIM
// signature the forward target must be able to verify.
const std::string request =
    "DKIM-Signature: v=1; a=rsa-sha256; d=autohaus-web.example; s=mail; h=from:subject;\r\n"
    " bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=dGVzdA==\r\n"
    "From: Formular <noreply@autohaus-web.example>\r\n"
    "To: mueller@dein.auto\r\n"
    "Subject: Inzahlungnahme meines Fahrzeugs\r\n"
    "Message-ID: <tradein-e2e@autohaus-web.example>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "Content-Transfer-Encoding: 8bit\r\n"
    "\r\n"
    "Vorname: Jürgen\r\n"
    "Nachname: Weiß\r\n"
    "E-Mail: j.weiss@example.de\r\n"
    "Telefon: 0176 12345678\r\n"
    "Marke: Opel\r\n"
    "Modell: Astra\r\n"
    "Erstzulassung: 03/2016\r\n"
    "Kilometerstand: 98.000 km\r\n"
    "Nachricht: Was bieten Sie mir? Scheckheftgepflegt, Nichtraucher.\r\n";

struct CcParts {
    std::string pdf;
    std::string original;
};

void collect(GMimeObject* object, CcParts& parts) {
    if (GMIME_IS_MULTIPART(object)) {
        for (int i = 0; i < g_mime_multipart_get_count(GMIME_MULTIPART(object)); ++i)
            collect(g_mime_multipart_get_part(GMIME_MULTIPART(object), i), parts);
    } else if (GMIME_IS_MESSAGE_PART(object)) {
        GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(object));
        mail::GString text(g_mime_object_to_string(GMIME_OBJECT(inner), nullptr));
        parts.original = text.get();
    } else if (GMIME_IS_PART(object)) {
        GMimeContentType* type = g_mime_object_get_content_type(object);
        if (!g_mime_content_type_is_type(type, "application", "pdf"))
            return;
        GObjectPtr<GMimeStream> stream(g_mime_stream_mem_new());
        g_mime_data_wrapper_write_to_stream(g_mime_part_get_content(GMIME_PART(object)),
                                            stream.get());
        GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream.get()));
        parts.pdf.assign(reinterpret_cast<const char*>(bytes->data), bytes->len);
    }
}

CcParts parts_of(const std::string& message) {
    g_mime_init();
    GObjectPtr<GMimeStream> stream(
        g_mime_stream_mem_new_with_buffer(message.data(), message.size()));
    GObjectPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
    GObjectPtr<GMimeMessage> parsed(g_mime_parser_construct_message(parser.get(), nullptr));
    CcParts parts;
    if (parsed)
        collect(g_mime_message_get_mime_part(parsed.get()), parts);
    return parts;
}

std::string output_of(const std::vector<std::string>& argv, int* status = nullptr) {
    auto log = std::filesystem::temp_directory_path() /
               ("leadrouter-cc-" + std::to_string(getpid()) + ".out");
    int rc = test::run_program(argv, log.string());
    if (status)
        *status = rc;
    return test::read_text_file(log.string());
}

const std::string* find_to(const std::vector<std::string>& messages, const std::string& rcpt) {
    for (const auto& message : messages)
        if (message.find("X-Rcpt-Args: <" + rcpt + ">") != std::string::npos)
            return &message;
    return nullptr;
}

} // namespace

TEST_CASE("trade-in CC: the PDF with umlauts, mileage and Automanager link plus the original "
          "go to trade_in_cc, the forward target gets the original unchanged",
          "[tradein][e2e][postfix]") {
    test::TestDatabase db;
    test::SmtpSink sink;
    const int milter_port = test::free_loopback_port();
    const std::string config = test::write_example_config(test::smtp_at(sink.address()));
    test::MilterProcess milter(LEADMILTER_BINARY, config, db.conninfo(),
                               "inet:" + std::to_string(milter_port) + "@127.0.0.1");
    test::PostfixInstance mx(
        {"mx", sink.address(), "inet:127.0.0.1:" + std::to_string(milter_port), {}});

    auto reply = test::send_mail(mx.smtp_port(), "noreply@autohaus-web.example",
                                 {"mueller@dein.auto"}, request);
    REQUIRE(reply.ok());
    REQUIRE(
        test::eventually([&] { return sink.messages().size() == 1; }, std::chrono::seconds(30)));
    auto lead = db.exec("SELECT id, kind FROM leads");
    REQUIRE(lead.size() == 1);
    CHECK(lead.text(0, 1) == "tradein");
    const std::string lead_id = lead.text(0, 0);

    REQUIRE(test::run_program(
                {LEADD_BINARY, "--config", config, "--database", db.conninfo(), "--once"}) == 0);
    REQUIRE(test::eventually(
        [&] { return find_to(sink.messages(), "ankauf@autohaus-mueller.example"); },
        std::chrono::seconds(30)));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    auto messages = sink.messages();

    // The forward target: the original, body byte for byte, signature kept.
    const std::string* forwarded = find_to(messages, "verkauf@autohaus-mueller.example");
    REQUIRE(forwarded);
    CHECK(body_of(*forwarded) == body_of(request));
    CHECK(lf(*forwarded).find(lf(request.substr(0, request.find("From:")))) != std::string::npos);
    CHECK(forwarded->find("X-Lead-Class: tradein") != std::string::npos);

    // The CC: a PDF and the original attached.
    const std::string* cc = find_to(messages, "ankauf@autohaus-mueller.example");
    REQUIRE(cc);
    CHECK(cc->find("Subject: Inzahlungnahme: =?") != std::string::npos); // the name encoded
    auto parts = parts_of(cc->substr(cc->find("\n", cc->find("X-Rcpt-Args")) + 1));
    REQUIRE_FALSE(parts.pdf.empty());
    CHECK(body_of(parts.original) == body_of(request));
    CHECK(parts.original.find("DKIM-Signature: v=1; a=rsa-sha256") != std::string::npos);

    const auto pdf_path = std::filesystem::temp_directory_path() /
                          ("leadrouter-cc-" + std::to_string(getpid()) + ".pdf");
    std::ofstream(pdf_path, std::ios::binary) << parts.pdf;
    int status = -1;
    auto check_output = output_of({"qpdf", "--check", pdf_path.string()}, &status);
    INFO(check_output);
    CHECK(status == 0);
    auto text = output_of({"pdftotext", "-enc", "UTF-8", pdf_path.string(), "-"});
    INFO(text);
    CHECK(text.find("Jürgen Weiß") != std::string::npos);
    CHECK(text.find("98.000 km") != std::string::npos);
    CHECK(text.find("Opel") != std::string::npos);
    auto json = output_of({"qpdf", "--json", pdf_path.string()});
    CHECK(json.find("https://automanager.example/leads/" + lead_id) != std::string::npos);
    std::filesystem::remove(pdf_path);
}
