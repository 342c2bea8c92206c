// The integration API (issue #16): what the Automanager reads and does
// through leadweb. Each request: its token (401), its form (400, 404, 405,
// 415: api_request), its token's scope (403), its dealer as the token may
// see it (404 otherwise, the same as for what does not exist), then the
// same store functions as leadctl and the notices' links. Actions are
// audited with channel api and the token's name.
#pragma once

#include "core/config.hpp"
#include "core/zoned_time.hpp"
#include "http/http_server.hpp"
#include "store/connection_pool.hpp"

#include <functional>

namespace lr::leadweb::api {

class ApiSite {
public:
    ApiSite(store::ConnectionPool& pool, std::function<core::Instant()> clock);
    http::HttpResponse handle(const http::HttpRequest& request, const core::Config& config);

private:
    store::ConnectionPool& m_pool;
    std::function<core::Instant()> m_clock;
};

// The OpenAPI 3.1 document (daemon/leadweb/api/openapi.json, built in).
std::string_view openapi_document();

} // namespace lr::leadweb::api
