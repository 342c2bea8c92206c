// A milter's end of message without the protocol (milter/inbound.hpp):
// the example configuration, a real database, a message built as
// libmilter would hand it over. For the milter store and proof tests.
#pragma once

#include "config/loader.hpp"
#include "example_config.hpp"
#include "inbound.hpp"
#include "process.hpp"
#include "test_database.hpp"

#include <catch2/catch.hpp>

namespace lr::test {

struct MilterHarness {
    explicit MilterHarness(const Replacements& replacements = {}) {
        auto loaded = config::load_config_file(write_example_config(replacements));
        REQUIRE(loaded.config);
        runtime = std::make_shared<const milter::Runtime>(loaded.config);
    }

    milter::MessageState message(const std::string& raw, const std::string& from,
                                 const std::vector<std::string>& recipients,
                                 const std::string& smtp_login = "") const {
        milter::MessageState state;
        state.reset(runtime);
        state.envelope_from = from;
        state.smtp_login = smtp_login;
        for (const auto& recipient : recipients)
            state.add_recipient(recipient);
        // The headers as libmilter hands them over, one by one, in order.
        const size_t end = raw.find("\r\n\r\n");
        std::string_view headers(raw.data(), end == std::string::npos ? 0 : end + 2);
        for (size_t at = 0; at < headers.size();) {
            size_t line_end = headers.find("\r\n", at);
            while (line_end + 2 < headers.size() &&
                   (headers[line_end + 2] == ' ' || headers[line_end + 2] == '\t'))
                line_end = headers.find("\r\n", line_end + 2);
            const auto line = headers.substr(at, line_end - at);
            const size_t colon = line.find(':');
            if (colon != std::string_view::npos) {
                auto value = line.substr(colon + 1);
                value.remove_prefix(std::min(value.find_first_not_of(' '), value.size()));
                state.note_header(line.substr(0, colon), value);
            }
            at = line_end + 2;
        }
        state.append(raw);
        state.queue_id = "4XyZ" + std::to_string(++queue_counter);
        return state;
    }

    milter::Outcome store(const milter::MessageState& state) {
        auto outcome = milter::store_message(state, pool, committer, now);
        INFO((outcome ? "" : outcome.error().message));
        REQUIRE(outcome);
        return *outcome;
    }

    TestDatabase db;
    std::shared_ptr<const milter::Runtime> runtime;
    store::ConnectionPool pool{db.conninfo(), 2};
    milter::LeadCommitter committer{pool};
    core::Instant now =
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    mutable int queue_counter = 0;
};

inline std::string fixture(const std::string& name) {
    return read_text_file(fixture_path("mail/" + name + ".eml"));
}

inline long long count(const TestDatabase& db, const std::string& sql,
                       const std::vector<store::Param>& params = {}) {
    return db.exec(sql, params).integer(0, 0);
}

} // namespace lr::test
