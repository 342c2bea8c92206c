// Issue #15: the links' tokens. A token is signed over lead, user, action,
// expiry and the lead's version; any change to any of them, another key,
// or a token past its time is not valid.
#include "web/action_token.hpp"

#include <catch2/catch.hpp>

using namespace lr;
using namespace std::chrono_literals;

namespace {

const std::string key = "0123456789abcdef0123456789abcdef-first";
const std::string other_key = "fedcba9876543210fedcba9876543210-other";
const core::Instant now{std::chrono::seconds{1'765'000'000}};

web::ActionClaim claim() {
    return {4711, "weber", core::LeadAction::claim, now + 7 * 24h, 3};
}

} // namespace

TEST_CASE("a signed token checks out with its claim, only before it expires", "[web][token]") {
    const std::string token = web::sign_token(claim(), key);
    CHECK(token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                  "0123456789-_.") == std::string::npos); // URL-safe as it is
    auto checked = web::check_token(token, {{key}}, now);
    REQUIRE(checked.check == web::TokenCheck::valid);
    CHECK(checked.claim.lead_id == 4711);
    CHECK(checked.claim.user_id == "weber");
    CHECK(checked.claim.action == core::LeadAction::claim);
    CHECK(checked.claim.expires == now + 7 * 24h);
    CHECK(checked.claim.lead_version == 3);

    CHECK(web::check_token(token, {{key}}, now + 7 * 24h - 1s).check == web::TokenCheck::valid);
    CHECK(web::check_token(token, {{key}}, now + 7 * 24h).check == web::TokenCheck::expired);
}

TEST_CASE("each field of the claim is signed: a changed one is forged", "[web][token]") {
    const auto original = claim();
    const std::string good = web::sign_token(original, key);
    const std::string signature = good.substr(good.find('.'));
    // The same signature over another claim, as an attacker would try.
    std::vector<web::ActionClaim> changed(5, original);
    changed[0].lead_id = 4712;
    changed[1].user_id = "mayer";
    changed[2].action = core::LeadAction::close;
    changed[3].expires = now + 365 * 24h;
    changed[4].lead_version = 2;
    for (const auto& other : changed) {
        const std::string resigned = web::sign_token(other, key);
        const std::string forged = resigned.substr(0, resigned.find('.')) + signature;
        CHECK(web::check_token(forged, {{key}}, now).check == web::TokenCheck::forged);
    }
    // One character of the signature changed.
    std::string flipped = good;
    flipped.back() = flipped.back() == 'A' ? 'B' : 'A';
    CHECK(web::check_token(flipped, {{key}}, now).check == web::TokenCheck::forged);
}

TEST_CASE("another key's token is forged, during a rotation both keys verify", "[web][token]") {
    const std::string old_token = web::sign_token(claim(), other_key);
    CHECK(web::check_token(old_token, {{key}}, now).check == web::TokenCheck::forged);
    const web::KeyRing rotating{{key, other_key}};
    CHECK(web::check_token(old_token, rotating, now).check == web::TokenCheck::valid);
    CHECK(web::check_token(web::sign_token(claim(), key), rotating, now).check ==
          web::TokenCheck::valid);
}

TEST_CASE("what is not a token is malformed, never a crash", "[web][token]") {
    const std::string good = web::sign_token(claim(), key);
    for (const std::string& text :
         {std::string(), std::string("."), std::string("abc"), std::string("abc.def"),
          good.substr(0, good.size() - 3), good + "A", std::string(600, 'A') + "." + "B",
          std::string("a+b.c/d"), std::string("YQ==.YQ=="), good.substr(0, good.find('.')),
          std::string("\0x.y", 4)}) {
        INFO(text);
        const auto check = web::check_token(text, {{key}}, now).check;
        CHECK((check == web::TokenCheck::malformed || check == web::TokenCheck::forged));
        CHECK(check != web::TokenCheck::valid);
    }
    // A signed claim with a user id that has dots stays whole.
    auto dotted = claim();
    dotted.user_id = "j.weber";
    auto checked = web::check_token(web::sign_token(dotted, key), {{key}}, now);
    REQUIRE(checked.check == web::TokenCheck::valid);
    CHECK(checked.claim.user_id == "j.weber");
}

TEST_CASE("a log line gets a fingerprint, never the token", "[web][token]") {
    const std::string token = web::sign_token(claim(), key);
    const std::string fingerprint = web::token_fingerprint(token);
    CHECK(fingerprint.size() == 12);
    CHECK(token.find(fingerprint) == std::string::npos);
    CHECK(web::token_fingerprint(token) == fingerprint);
    CHECK(web::token_fingerprint(token + "x") != fingerprint);
}

TEST_CASE("a stranger who changes any one character of a real token gets nothing valid",
          "[web][token][attack]") {
    const std::string good = web::sign_token(claim(), key);
    const std::string alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
    size_t tried = 0;
    for (size_t at = 0; at < good.size(); ++at)
        for (char c : alphabet) {
            if (c == good[at])
                continue;
            std::string changed = good;
            changed[at] = c;
            ++tried;
            INFO(changed);
            REQUIRE(web::check_token(changed, {{key}}, now).check != web::TokenCheck::valid);
        }
    CHECK(tried == good.size() * (alphabet.size() - 1));
    // Cut short or grown by one character: nothing valid either.
    for (size_t length = 0; length < good.size(); ++length)
        REQUIRE(web::check_token(good.substr(0, length), {{key}}, now).check !=
                web::TokenCheck::valid);
    for (char c : alphabet)
        REQUIRE(web::check_token(good + c, {{key}}, now).check != web::TokenCheck::valid);
}
