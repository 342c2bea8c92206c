#include "core/reply_command.hpp"

#include "util/strings.hpp"

#include <array>
#include <charconv>
#include <vector>

namespace lr::core {

namespace {

// Spaces, tabs and the no-break space phones like to write (U+00A0).
std::vector<std::string> words_of(std::string_view line) {
    std::vector<std::string> words;
    std::string word;
    for (size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        const bool nbsp = static_cast<unsigned char>(c) == 0xC2 && i + 1 < line.size() &&
                          static_cast<unsigned char>(line[i + 1]) == 0xA0;
        if (c == ' ' || c == '\t' || nbsp) {
            if (!word.empty())
                words.push_back(std::move(word));
            word.clear();
            if (nbsp)
                ++i;
        } else {
            word += c;
        }
    }
    if (!word.empty())
        words.push_back(std::move(word));
    return words;
}

std::string_view trim(std::string_view text) {
    const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!text.empty() && space(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && space(text.back()))
        text.remove_suffix(1);
    if (text.starts_with("\xEF\xBB\xBF")) // a byte order mark some clients put first
        text.remove_prefix(3);
    return text;
}

std::string without_punctuation(std::string word) {
    while (!word.empty() && std::string_view(".,;:!?\"'").find(word.back()) != std::string::npos)
        word.pop_back();
    return word;
}

// The first line that is neither empty nor quoted history.
std::string_view first_line(std::string_view text) {
    while (!text.empty()) {
        const size_t end = text.find('\n');
        std::string_view line = trim(text.substr(0, end));
        if (!line.empty() && line.front() != '>')
            return line;
        if (end == std::string_view::npos)
            break;
        text.remove_prefix(end + 1);
    }
    return {};
}

struct Word {
    std::string_view word;
    LeadAction action;
};
constexpr std::array command_words{
    Word{"übernehmen", LeadAction::claim},  Word{"übernehme", LeadAction::claim},
    Word{"uebernehmen", LeadAction::claim}, Word{"claim", LeadAction::claim},
    Word{"take", LeadAction::claim},        Word{"erledigt", LeadAction::react},
    Word{"beantwortet", LeadAction::react}, Word{"done", LeadAction::react},
    Word{"answered", LeadAction::react},    Word{"wiedervorlage", LeadAction::resubmit},
    Word{"resubmit", LeadAction::resubmit}, Word{"an", LeadAction::reassign},
    Word{"assign", LeadAction::reassign},   Word{"to", LeadAction::reassign},
    Word{"schließen", LeadAction::close},   Word{"schliessen", LeadAction::close},
    Word{"close", LeadAction::close},
};

std::optional<int> number(std::string_view text) {
    int value = 0;
    if (text.empty() || text.size() > 4)
        return std::nullopt;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

date::year_month_day local_day(Instant now, const date::time_zone* zone) {
    return date::year_month_day{date::floor<date::days>(zone->to_local(now))};
}

// "03.12." / "3.12.26" / "03.12.2026" / "2026-12-03"; year_given says
// whether the text named the year.
std::optional<date::year_month_day> read_day(std::string_view text, Instant now,
                                             const date::time_zone* zone, bool& year_given) {
    const auto today = local_day(now, zone);
    if (text == "heute" || text == "today")
        return today;
    if (text == "morgen" || text == "tomorrow")
        return date::year_month_day{date::sys_days{today} + date::days{1}};
    if (text == "übermorgen")
        return date::year_month_day{date::sys_days{today} + date::days{2}};
    std::vector<std::string_view> parts;
    const char separator = text.find('-') != std::string_view::npos ? '-' : '.';
    for (size_t start = 0; start <= text.size();) {
        size_t end = text.find(separator, start);
        if (end == std::string_view::npos)
            end = text.size();
        parts.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    int y = 0, m = 0, d = 0;
    if (separator == '-') {
        if (parts.size() != 3 || parts[0].size() != 4)
            return std::nullopt;
        auto yy = number(parts[0]), mm = number(parts[1]), dd = number(parts[2]);
        if (!yy || !mm || !dd)
            return std::nullopt;
        y = *yy, m = *mm, d = *dd;
        year_given = true;
    } else {
        // "03.12." splits into 03, 12, "" ; "03.12" into 03, 12.
        if (parts.size() == 3 && parts[2].empty())
            parts.pop_back();
        if (parts.size() < 2 || parts.size() > 3 || parts[0].size() > 2 || parts[1].size() > 2)
            return std::nullopt;
        auto dd = number(parts[0]), mm = number(parts[1]);
        if (!dd || !mm)
            return std::nullopt;
        d = *dd, m = *mm;
        year_given = parts.size() == 3;
        y = static_cast<int>(today.year());
        if (year_given) {
            auto yy = number(parts[2]);
            if (!yy || (parts[2].size() != 2 && parts[2].size() != 4))
                return std::nullopt;
            y = parts[2].size() == 2 ? 2000 + *yy : *yy;
        }
    }
    date::year_month_day day{date::year{y}, date::month{static_cast<unsigned>(m)},
                             date::day{static_cast<unsigned>(d)}};
    if (!day.ok())
        return std::nullopt;
    return day;
}

// "10:00", "9.30", "10" (an hour), each optionally followed by "uhr".
std::optional<std::chrono::minutes> read_clock(std::string_view text) {
    const size_t colon = text.find_first_of(":.");
    auto hours = number(text.substr(0, colon));
    auto minutes =
        colon == std::string_view::npos ? std::optional<int>(0) : number(text.substr(colon + 1));
    if (!hours || !minutes || *hours > 23 || *minutes > 59 ||
        (colon != std::string_view::npos && text.size() - colon - 1 != 2))
        return std::nullopt;
    return std::chrono::hours{*hours} + std::chrono::minutes{*minutes};
}

bool is_courtesy(std::string_view word) {
    constexpr std::array words{"bitte",  "danke",  "ich",   "gern", "gerne", "ok",
                               "please", "thanks", "thank", "you",  "i",     "will"};
    for (const auto* courtesy : words)
        if (word == courtesy)
            return true;
    return false;
}

const std::string commands_hint = "Möglich sind: übernehmen, erledigt, wiedervorlage 03.12. "
                                  "10:00, an <Benutzer>, schließen.";

} // namespace

std::string_view action_name(LeadAction action) {
    switch (action) {
    case LeadAction::claim:
        return "claim";
    case LeadAction::react:
        return "reaction";
    case LeadAction::resubmit:
        return "resubmission";
    case LeadAction::reassign:
        return "reassign";
    case LeadAction::close:
        return "close";
    case LeadAction::reply:
        return "reply";
    }
    return "reaction";
}

std::optional<Instant> parse_resubmission_time(std::string_view text, const date::time_zone* zone,
                                               Instant now) {
    auto words = words_of(util::to_lower_german(text));
    size_t at = 0;
    if (at < words.size() && (words[at] == "am" || words[at] == "on"))
        ++at;
    if (at >= words.size())
        return std::nullopt;
    std::string day_word = words[at];
    std::optional<std::chrono::minutes> clock;
    if (const size_t t = day_word.find('t');
        t != std::string::npos && day_word.find('-') != std::string::npos) {
        clock = read_clock(day_word.substr(t + 1)); // 2026-12-03T10:00
        if (!clock)
            return std::nullopt;
        day_word.resize(t);
    }
    bool year_given = false;
    // "03.12." keeps its dot; "morgen," loses its comma.
    auto day = read_day(day_word, now, zone, year_given);
    if (!day)
        day = read_day(without_punctuation(day_word), now, zone, year_given);
    if (!day)
        return std::nullopt;
    ++at;
    if (!clock && at < words.size() && (words[at] == "um" || words[at] == "at"))
        ++at;
    if (!clock && at < words.size()) {
        clock = read_clock(without_punctuation(words[at]));
        if (!clock)
            return std::nullopt;
        ++at;
        if (at < words.size() && without_punctuation(words[at]) == "uhr")
            ++at;
    }
    if (at != words.size())
        return std::nullopt;
    const auto time_of_day = clock.value_or(std::chrono::hours{9});
    auto when = local_to_instant(LocalTime{date::local_days{*day}} + time_of_day, zone);
    if (!year_given && when < now - std::chrono::hours{24}) {
        // 03.01. written in December means next January.
        const date::year_month_day next{day->year() + date::years{1}, day->month(), day->day()};
        if (next.ok())
            when = local_to_instant(LocalTime{date::local_days{next}} + time_of_day, zone);
    }
    return when;
}

ParsedReply parse_reply_command(std::string_view own_text, const date::time_zone* zone,
                                Instant now) {
    ParsedReply out;
    out.line = std::string(first_line(own_text));
    auto words = words_of(util::to_lower_german(out.line));
    if (words.empty())
        return out;
    const std::string first = without_punctuation(words.front());
    const Word* found = nullptr;
    for (const auto& word : command_words)
        if (word.word == first)
            found = &word;
    if (!found)
        return out;
    out.command.action = found->action;
    const auto not_understood = [&](std::string problem) {
        out.kind = ParsedReply::Kind::not_understood;
        out.problem = std::move(problem) + " " + commands_hint;
        return out;
    };
    switch (found->action) {
    case LeadAction::reassign:
        // "An alle Kollegen: ..." is a sentence, not a command.
        if (words.size() != 2)
            return out;
        out.command.target = without_punctuation(words[1]);
        break;
    case LeadAction::resubmit: {
        if (words.size() < 2)
            return not_understood("Zur Wiedervorlage fehlt der Zeitpunkt, etwa „wiedervorlage "
                                  "03.12. 10:00“.");
        const auto written = words_of(out.line);
        std::string rest;
        for (size_t i = 1; i < written.size(); ++i)
            rest += (i > 1 ? " " : "") + written[i];
        auto when = parse_resubmission_time(rest, zone, now);
        if (!when)
            return not_understood("„" + rest +
                                  "“ ist kein Zeitpunkt, den ich lesen kann (etwa „03.12. "
                                  "10:00“ oder „2026-12-03 10:00“).");
        if (*when <= now)
            return not_understood("Der Zeitpunkt der Wiedervorlage liegt in der Vergangenheit.");
        out.command.when = when;
        break;
    }
    case LeadAction::close:
        // Closing ends the lead: "schließen" alone (or with "bitte"), never
        // "Schließen Sie die Anfrage noch nicht".
        for (size_t i = 1; i < words.size(); ++i)
            if (!is_courtesy(without_punctuation(words[i])))
                return not_understood("„" + out.line +
                                      "“ verstehe ich nicht; zum Schließen "
                                      "schreiben Sie nur „schließen“.");
        break;
    case LeadAction::claim:
    case LeadAction::react:
    case LeadAction::reply: // no word maps to it
        // "Erledigt, habe angerufen." and "Übernehme ich" mean what they
        // say: the rest of the line is the user's remark.
        break;
    }
    out.kind = ParsedReply::Kind::command;
    return out;
}

} // namespace lr::core
