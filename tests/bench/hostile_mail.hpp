// The hostile mail of the memory benchmarks (issue #14): one part of SIZE
// MB of HTML, base64-encoded as a mass mailer sends it, with a lead's
// contact data at its very end.
#pragma once

#include <string>

namespace lr::bench {

inline std::string base64(const std::string& data) {
    static const char table[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    size_t line = 0;
    for (size_t i = 0; i < data.size(); i += 3) {
        unsigned v = static_cast<unsigned char>(data[i]) << 16;
        if (i + 1 < data.size())
            v |= static_cast<unsigned char>(data[i + 1]) << 8;
        if (i + 2 < data.size())
            v |= static_cast<unsigned char>(data[i + 2]);
        out += table[(v >> 18) & 63];
        out += table[(v >> 12) & 63];
        out += i + 1 < data.size() ? table[(v >> 6) & 63] : '=';
        out += i + 2 < data.size() ? table[v & 63] : '=';
        if ((line += 4) == 76) {
            out += "\r\n";
            line = 0;
        }
    }
    return out + "\r\n";
}

// id goes into the Message-ID, so that many such mails are stored apart.
inline std::string html_mail(size_t megabytes, const std::string& id = "bench") {
    const std::string row = "<tr><td>Golf GTI Angebot</td><td>Preis 25.000 EUR</td><td><a "
                            "href='https://example.org/x'>Link</a></td></tr>\n";
    std::string html = "<html><body><table>\n";
    const size_t target = megabytes * 1024 * 1024 * 3 / 4; // base64 grows by 4/3
    while (html.size() < target)
        html += row;
    html += "</table><p>Name: Jana Krüger<br>E-Mail: jana@example.org</p></body></html>\n";
    return "From: Jana <jana@example.org>\r\nTo: mueller@dein.auto\r\nSubject: Anfrage\r\n"
           "Message-ID: <" +
           id +
           "@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: text/html; "
           "charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
           base64(html);
}

} // namespace lr::bench
