#include "core/reply_command.hpp"

#include <catch2/catch.hpp>

using namespace lr;
using Kind = core::ParsedReply::Kind;

namespace {

const date::time_zone* berlin() {
    return date::locate_zone("Europe/Berlin");
}

// Tuesday 1 December 2026, 11:00 in Hamburg.
core::Instant now() {
    return *core::parse_iso8601("2026-12-01T11:00:00+01:00", nullptr);
}

core::ParsedReply parse(const std::string& text) {
    return core::parse_reply_command(text, berlin(), now());
}

std::string when(const core::ParsedReply& parsed) {
    REQUIRE(parsed.command.when);
    return core::format_iso8601(*parsed.command.when, berlin());
}

} // namespace

TEST_CASE("reply commands: each command and its synonyms, any case, on the first line",
          "[reply-command]") {
    for (const char* text : {"übernehmen", "Übernehmen", "ÜBERNEHMEN", "uebernehmen", "claim",
                             "Take", "Übernehme ich", "übernehmen!"}) {
        INFO(text);
        auto parsed = parse(text);
        CHECK(parsed.kind == Kind::command);
        CHECK(parsed.command.action == core::LeadAction::claim);
    }
    for (const char* text :
         {"erledigt", "Beantwortet", "done", "Answered.", "Erledigt, habe angerufen."}) {
        INFO(text);
        auto parsed = parse(text);
        CHECK(parsed.kind == Kind::command);
        CHECK(parsed.command.action == core::LeadAction::react);
    }
    for (const char* text : {"schließen", "Schliessen", "SCHLIESSEN bitte", "close"}) {
        INFO(text);
        auto parsed = parse(text);
        CHECK(parsed.kind == Kind::command);
        CHECK(parsed.command.action == core::LeadAction::close);
    }
    auto reassign = parse("an Weber");
    CHECK(reassign.kind == Kind::command);
    CHECK(reassign.command.action == core::LeadAction::reassign);
    CHECK(reassign.command.target == "weber");
    CHECK(parse("assign weber.").command.target == "weber");
    CHECK(parse("to Yılmaz").command.action == core::LeadAction::reassign);
}

TEST_CASE("reply commands: quoted history, blank lines, a phone's signature and no-break "
          "spaces do not matter",
          "[reply-command]") {
    auto parsed = parse("\r\n\r\n  Übernehmen\r\n\r\nVon meinem iPhone gesendet\r\n\r\n"
                        "> Eine neue Anfrage liegt im Pool.\r\n> erledigt\r\n");
    CHECK(parsed.kind == Kind::command);
    CHECK(parsed.command.action == core::LeadAction::claim);
    CHECK(parsed.line == "Übernehmen");
    CHECK(parse("> schließen\n>\nerledigt").command.action == core::LeadAction::react);
    CHECK(parse("\xEF\xBB\xBFwiedervorlage\xC2\xA0"
                "03.12.\xC2\xA0"
                "10:00")
              .kind == Kind::command);
}

TEST_CASE("reply commands: an answer that does not start with a command word stays a normal "
          "answer",
          "[reply-command]") {
    for (const char* text :
         {"Gerne, Samstag um 10 Uhr.", "Hallo Herr Becker,", "An alle Kollegen: bitte melden", "",
          "> übernehmen", "Ich übernehme", "Danke!"}) {
        INFO(text);
        CHECK(parse(text).kind == Kind::none);
    }
}

TEST_CASE("reply commands: a command word with what does not fit is not understood, and the "
          "answer lists the commands",
          "[reply-command]") {
    for (const char* text :
         {"wiedervorlage", "wiedervorlage nächste Woche", "wiedervorlage 31.02.",
          "wiedervorlage 03.12. 25:00", "wiedervorlage 2026-13-01",
          "Schließen Sie die Anfrage noch nicht", "wiedervorlage 01.12.2026 10:00"}) {
        INFO(text);
        auto parsed = parse(text);
        CHECK(parsed.kind == Kind::not_understood);
        CHECK(parsed.problem.find("übernehmen, erledigt") != std::string::npos);
    }
    CHECK(parse("wiedervorlage 01.12.2026 10:00").problem.find("Vergangenheit") !=
          std::string::npos);
}

TEST_CASE("resubmission times: German and ISO dates in the dealer's zone, the year guessed "
          "forward",
          "[reply-command]") {
    CHECK(when(parse("wiedervorlage 03.12. 10:00")) == "2026-12-03T10:00:00+01:00");
    CHECK(when(parse("Wiedervorlage 3.12.2026 14:30 Uhr")) == "2026-12-03T14:30:00+01:00");
    CHECK(when(parse("wiedervorlage 03.12.26 9")) == "2026-12-03T09:00:00+01:00");
    CHECK(when(parse("wiedervorlage am 04.12. um 8.15")) == "2026-12-04T08:15:00+01:00");
    CHECK(when(parse("wiedervorlage 2026-12-03 10:00")) == "2026-12-03T10:00:00+01:00");
    CHECK(when(parse("resubmit 2026-12-03T10:00")) == "2026-12-03T10:00:00+01:00");
    CHECK(when(parse("wiedervorlage morgen 14 uhr")) == "2026-12-02T14:00:00+01:00");
    // No time: 09:00; summer time in July; January written in December is next year.
    CHECK(when(parse("wiedervorlage 05.12.")) == "2026-12-05T09:00:00+01:00");
    CHECK(when(parse("wiedervorlage 15.07. 10:00")) == "2027-07-15T10:00:00+02:00");
    CHECK(when(parse("wiedervorlage 08.01.")) == "2027-01-08T09:00:00+01:00");
    // Earlier today is past, not next year.
    CHECK(parse("wiedervorlage 01.12. 08:00").kind == Kind::not_understood);
}
