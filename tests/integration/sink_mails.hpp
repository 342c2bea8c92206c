// The mails leadd sent, as the smtp-sink dumped them: recipient, Reply-To,
// decoded subject and text. For the end-to-end tests that act on notices.
#pragma once

#include "classify/mail_view.hpp"
#include "sink_message.hpp"
#include "smtp_sink.hpp"

#include <optional>
#include <string>
#include <vector>

namespace lr::test {

struct SinkMail {
    std::string recipient;
    std::string reply_to;
    std::string subject; // decoded
    std::string text;    // decoded
};

inline std::vector<SinkMail> sink_mails(const SmtpSink& sink) {
    std::vector<SinkMail> out;
    for (const auto& message : sink.messages()) {
        // The dump has the envelope in front; the message starts after it.
        auto view = classify::read_mail(message);
        if (!view)
            continue;
        out.push_back(
            {recipient_of(message), header_of(message, "Reply-To"), view->subject, view->text()});
    }
    return out;
}

inline std::optional<SinkMail> find_mail(const SmtpSink& sink, const std::string& recipient,
                                         const std::string& subject_start) {
    for (auto& mail : sink_mails(sink))
        if (mail.recipient == "<" + recipient + ">" && mail.subject.rfind(subject_start, 0) == 0)
            return mail;
    return std::nullopt;
}

} // namespace lr::test
