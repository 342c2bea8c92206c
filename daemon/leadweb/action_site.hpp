// What leadweb answers (issue #15): the confirmation page behind a
// notice's link (GET, HEAD: shows, never acts), the action itself (POST
// from the page's one button), and /healthz.
//
//   /a/<token>   GET, HEAD: the lead's key data and one button;
//                POST: the action, through the same store functions as
//                leadctl and the reply commands, audited with channel web
//   /api/v1/...  the integration API (issue #16, api/api_site.hpp)
//   /healthz     200 when the database answers, else 503
//
// Every request but /healthz must name system.web.public_url's host in
// its Host header (DNS rebinding); a token is never logged, only its
// fingerprint.
#pragma once

#include "api/api_site.hpp"
#include "core/config.hpp"
#include "http/http_server.hpp"
#include "store/connection_pool.hpp"
#include "web/action_token.hpp"

#include <functional>
#include <memory>
#include <mutex>

namespace lr::leadweb {

using http::HttpRequest;
using http::HttpResponse;

// What a reload replaces at once: the configuration and the keys.
struct SiteSettings {
    std::shared_ptr<const core::Config> config;
    web::KeyRing keys;
};

using Clock = std::function<core::Instant()>;

class ActionSite {
public:
    ActionSite(store::ConnectionPool& pool, std::shared_ptr<const SiteSettings> settings,
               Clock clock);

    HttpResponse handle(const HttpRequest& request);
    void replace_settings(std::shared_ptr<const SiteSettings> settings);

private:
    std::shared_ptr<const SiteSettings> settings() const;
    HttpResponse health();
    HttpResponse action(const HttpRequest& request, const SiteSettings& settings,
                        const std::string& token);

    store::ConnectionPool& m_pool;
    api::ApiSite m_api;
    mutable std::mutex m_mutex;
    std::shared_ptr<const SiteSettings> m_settings;
    Clock m_clock;
};

// The host:port that requests must name: public_url's authority, lower
// case, without the scheme's default port ("leads.example.de",
// "localhost:8026").
std::string expected_host(const std::string& public_url);
// A Host header the same way: lower case, without the default port.
std::string normal_host(const std::string& host, bool https);

} // namespace lr::leadweb
