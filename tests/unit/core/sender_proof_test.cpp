#include "config/loader.hpp"
#include "core/authentication_results.hpp"
#include "core/reply_address.hpp"
#include "core/sender_proof.hpp"

#include <catch2/catch.hpp>

using namespace lr;

TEST_CASE("Authentication-Results: authserv-id, methods, properties, comments, quotes, folding",
          "[proof][parse]") {
    auto parsed = core::parse_authentication_results(
        "MX.Dein.Auto 1;\r\n\tdkim=pass (2048-bit key; unprotected) header.d=Autohaus.example "
        "header.i=@autohaus.example header.b=\"Ab;Cd\";\r\n\tdmarc = pass (p=none dis=none) "
        "header.from=autohaus.example; spf=fail smtp.mailfrom=x@y.example");
    REQUIRE(parsed);
    CHECK(parsed->authserv_id == "mx.dein.auto");
    REQUIRE(parsed->results.size() == 3);
    CHECK(parsed->results[0].method == "dkim");
    CHECK(parsed->results[0].result == "pass");
    CHECK(parsed->results[0].property("header.d") == std::string("autohaus.example"));
    CHECK(parsed->results[0].property("header.b") == std::string("ab;cd"));
    CHECK(parsed->results[1].method == "dmarc");
    CHECK(parsed->results[1].property("header.from") == std::string("autohaus.example"));
    CHECK(parsed->results[2].result == "fail");

    auto versioned = core::parse_authentication_results("mx; dkim/1=pass header.d=a.example");
    REQUIRE(versioned);
    CHECK(versioned->results.front().method == "dkim");
    auto none = core::parse_authentication_results("mx.example; none");
    REQUIRE(none);
    CHECK(none->results.empty());
    CHECK_FALSE(core::parse_authentication_results(""));
    CHECK_FALSE(core::parse_authentication_results("dmarc=pass header.from=a.example"));
    CHECK_FALSE(core::parse_authentication_results("(only a comment)"));
}

TEST_CASE("Authentication-Results from a stranger: broken quoting, comments and separators "
          "never crash and never invent a pass",
          "[proof][parse][attack]") {
    for (const char* value :
         {"mx.dein.auto; dmarc=\"pass", "mx.dein.auto; dmarc=pass (unclosed comment",
          "mx.dein.auto; dmarc=(pass) header.from=a.example", "mx.dein.auto; dmarc=\\",
          "mx.dein.auto;;;;", ";dmarc=pass header.from=a.example", "mx.dein.auto; =pass",
          "mx.dein.auto ((nested) comment) ; dkim=fail", "mx.dein.auto; dmarc=pass\\"}) {
        INFO(value);
        auto parsed = core::parse_authentication_results(value);
        if (!parsed)
            continue;
        for (const auto& result : parsed->results)
            CHECK_FALSE((result.method == "dmarc" && result.result == "pass" &&
                         result.property("header.from") == std::string("a.example")));
    }
    const std::string huge(1 << 20, ';');
    auto many = core::parse_authentication_results("mx.dein.auto" + huge);
    REQUIRE(many);
    CHECK(many->results.empty());
}

TEST_CASE("domain alignment is relaxed: the same domain or a sub- or parent domain", "[proof]") {
    CHECK(core::domains_aligned("autohaus.example", "autohaus.example"));
    CHECK(core::domains_aligned("mail.autohaus.example", "autohaus.example"));
    CHECK(core::domains_aligned("autohaus.example", "mail.autohaus.example"));
    CHECK_FALSE(core::domains_aligned("evilautohaus.example", "autohaus.example"));
    CHECK_FALSE(core::domains_aligned("example", "autohaus.example.org"));
    CHECK_FALSE(core::domains_aligned("", "autohaus.example"));
}

TEST_CASE("trusted Authentication-Results: only the topmost of the top block counts, further "
          "down they are forged and listed for removal",
          "[proof][attack]") {
    const std::vector<std::string> trusted = {"mx.dein.auto"};
    std::vector<core::ReceivedAuthHeader> headers = {
        {"mx.dein.auto; dmarc=fail header.from=a.example", true},
        {"other.example; dmarc=pass header.from=a.example", true},
        {"mx.dein.auto; dmarc=pass header.from=a.example", false},
        {"MX.DEIN.AUTO; dkim=pass header.d=a.example", false},
        {"mx.unrelated.example; dkim=pass header.d=a.example", false}};
    auto sorted = core::sort_auth_headers(headers, trusted);
    REQUIRE(sorted.trusted.size() == 1);
    CHECK(sorted.trusted.front().results.front().result == "fail");
    CHECK(sorted.forged == std::vector<int>{3, 4});
    CHECK(core::sort_auth_headers(headers, {}).forged.empty());
    // A message that puts a forged pass first sits right below the front
    // milter's own header: only the topmost is read.
    auto adjacent =
        core::sort_auth_headers({{"mx.dein.auto; dmarc=fail header.from=a.example", true},
                                 {"mx.dein.auto; dmarc=pass header.from=a.example", true}},
                                trusted);
    REQUIRE(adjacent.trusted.size() == 1);
    CHECK(adjacent.trusted.front().results.front().result == "fail");
    CHECK(adjacent.forged.empty());
}

TEST_CASE("a From naming a user is proven by reply address, SASL login or trusted pass, each "
          "only when the dealer accepts it",
          "[proof]") {
    auto loaded =
        config::load_config_file(std::string(LEADROUTER_SPEC_DIR) + "/config-example.yaml");
    REQUIRE(loaded.config);
    const core::Dealer& dealer = loaded.config->dealers.front();
    const core::ReactionProofs all;
    core::SenderEvidence evidence;
    evidence.from = "A.Schmidt@Autohaus-Mueller.example";

    auto unproven = core::check_author(dealer, all, evidence);
    REQUIRE(unproven.claimed);
    CHECK(unproven.claimed->id == "schmidt");
    CHECK_FALSE(unproven.proven());
    CHECK(unproven.doubt == "From names user schmidt but nothing proves it: not sent to the "
                            "user's reply address, no SASL login, no Authentication-Results of "
                            "a trusted authserv-id");

    auto by_key = evidence;
    by_key.reply_key_user = "schmidt";
    CHECK(core::check_author(dealer, all, by_key).proof == core::Proof::reply_address);
    by_key.reply_key_user = "weber";
    CHECK_FALSE(core::check_author(dealer, all, by_key).proven());

    auto by_login = evidence;
    by_login.smtp_login = "a.schmidt@autohaus-mueller.example";
    CHECK(core::check_author(dealer, all, by_login).proof == core::Proof::smtp_auth);
    core::ReactionProofs only_keys{true, false, false};
    CHECK_FALSE(core::check_author(dealer, only_keys, by_login).proven());

    auto by_results = evidence;
    by_results.trusted_results.push_back(*core::parse_authentication_results(
        "mx.dein.auto; dmarc=pass header.from=autohaus-mueller.example"));
    CHECK(core::check_author(dealer, all, by_results).proof == core::Proof::authentication_results);
    by_results.trusted_results.front() = *core::parse_authentication_results(
        "mx.dein.auto; dmarc=pass header.from=other.example; dkim=fail header.d=autohaus-"
        "mueller.example");
    CHECK_FALSE(core::check_author(dealer, all, by_results).proven());

    core::SenderEvidence stranger;
    stranger.from = "mallory@example.net";
    stranger.smtp_login = "mallory@example.net";
    CHECK_FALSE(core::check_author(dealer, all, stranger).claimed);
}

TEST_CASE("reply addresses: mailbox+r<32 hex>, told apart from tracking tags", "[proof]") {
    const std::string token(32, 'a');
    CHECK(core::reply_address("mueller@dein.auto", token) == "mueller+r" + token + "@dein.auto");
    CHECK(core::reply_token_of_tag("r" + token) == token);
    CHECK(core::reply_token_of_tag("R" + std::string(32, 'A')) == token);
    CHECK_FALSE(core::reply_token_of_tag("0123456789abcdef")); // a lead's tracking tag
    CHECK_FALSE(core::reply_token_of_tag("r" + std::string(31, 'a')));
    CHECK_FALSE(core::reply_token_of_tag("r" + std::string(31, 'a') + "g"));
}
