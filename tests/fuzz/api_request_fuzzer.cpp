// libFuzzer target for the API's request layer (issue #16): whatever
// method, path, query and body a stranger sends, parse_api_request answers
// with a call or a refusal: no crash, no hang, no leak, no sanitizer
// report, and every refusal a 4xx.
//
// Input: first byte picks the method; then lines: the path, the query
// (name=value&... as MHD hands it over, decoded), the Content-Type; the
// rest is the body.
#include "api/api_request.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>

namespace {

std::string take_line(std::string& rest) {
    const auto end = rest.find('\n');
    std::string line = rest.substr(0, end);
    rest = end == std::string::npos ? std::string() : rest.substr(end + 1);
    return line;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0)
        return 0;
    static const char* const methods[] = {"GET", "HEAD", "POST", "DELETE", "PUT", "PATCH"};
    lr::http::HttpRequest request;
    request.method = methods[data[0] % 6];
    std::string rest(reinterpret_cast<const char*>(data) + 1, size - 1);
    request.path = "/api/v1/" + take_line(rest);
    std::string query = take_line(rest);
    for (size_t start = 0; start <= query.size();) {
        const auto amp = query.find('&', start);
        std::string pair = query.substr(start, amp == std::string::npos ? amp : amp - start);
        const auto eq = pair.find('=');
        request.query.emplace_back(pair.substr(0, eq),
                                   eq == std::string::npos ? "" : pair.substr(eq + 1));
        if (amp == std::string::npos)
            break;
        start = amp + 1;
    }
    if (query.empty())
        request.query.clear();
    request.content_type = take_line(rest);
    request.body = rest;
    auto outcome = lr::leadweb::api::parse_api_request(request);
    if (auto* error = std::get_if<lr::leadweb::api::ApiError>(&outcome))
        if (error->status < 400 || error->status >= 500 || error->code.empty())
            std::abort();
    return 0;
}
