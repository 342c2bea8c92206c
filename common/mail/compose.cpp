#include "mail/compose.hpp"

#include "mail/gobject_ptr.hpp"
#include "mail/header_value.hpp"

#include <gmime/gmime.h>
#include <mutex>

namespace lr::mail {

namespace {

void init_gmime() {
    static std::once_flag once;
    std::call_once(once, [] { g_mime_init(); });
}

// UTF-8, in a 7-bit transfer encoding (7bit, quoted-printable or base64):
// GMime's own charset choice would pick ISO-8859-1 with 8bit, which needs
// 8BITMIME at every hop.
// A forwarded message (message/rfc822) as it came: GMime writes an
// unmodified parsed message back byte for byte, so the original's headers
// and body (and any signature over them) stay as they were.
GObjectPtr<GMimeMessagePart> message_part(const Attachment& attachment) {
    GObjectPtr<GMimeStream> stream(
        g_mime_stream_mem_new_with_buffer(attachment.bytes.data(), attachment.bytes.size()));
    GObjectPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
    GObjectPtr<GMimeMessage> original(g_mime_parser_construct_message(parser.get(), nullptr));
    GObjectPtr<GMimeMessagePart> part(
        g_mime_message_part_new_with_message("rfc822", original.get()));
    GMimeObject* object = GMIME_OBJECT(part.get());
    g_mime_object_set_disposition(object, "attachment");
    GMimeContentDisposition* disposition = g_mime_object_get_content_disposition(object);
    g_mime_content_disposition_set_parameter(disposition, "filename",
                                             header_value(attachment.filename).c_str());
    return part;
}

GObjectPtr<GMimeTextPart> text_part(const char* subtype, const std::string& text) {
    GObjectPtr<GMimeTextPart> part(g_mime_text_part_new_with_subtype(subtype));
    g_mime_object_set_content_type_parameter(GMIME_OBJECT(part.get()), "charset", "utf-8");
    GObjectPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(text.data(), text.size()));
    GObjectPtr<GMimeDataWrapper> content(
        g_mime_data_wrapper_new_with_stream(stream.get(), GMIME_CONTENT_ENCODING_DEFAULT));
    g_mime_part_set_content(GMIME_PART(part.get()), content.get());
    g_mime_part_set_content_encoding(GMIME_PART(part.get()),
                                     g_mime_part_get_best_content_encoding(
                                         GMIME_PART(part.get()), GMIME_ENCODING_CONSTRAINT_7BIT));
    return part;
}

// Bytes as a base64 part of the type, with its file name.
GObjectPtr<GMimePart> binary_part(const std::string& content_type, const std::string& filename,
                                  const std::string& bytes) {
    auto slash = content_type.find('/');
    GObjectPtr<GMimePart> part(g_mime_part_new_with_type(
        content_type.substr(0, slash).c_str(),
        slash == std::string::npos ? "octet-stream" : content_type.substr(slash + 1).c_str()));
    GObjectPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(bytes.data(), bytes.size()));
    GObjectPtr<GMimeDataWrapper> content(
        g_mime_data_wrapper_new_with_stream(stream.get(), GMIME_CONTENT_ENCODING_DEFAULT));
    g_mime_part_set_content(part.get(), content.get());
    g_mime_part_set_filename(part.get(), header_value(filename).c_str());
    g_mime_part_set_content_encoding(part.get(), GMIME_CONTENT_ENCODING_BASE64);
    return part;
}

std::string angle(const std::string& id) {
    return "<" + header_value(id, 900) + ">";
}

} // namespace

std::string compose(const OutgoingMail& mail) {
    init_gmime();
    GObjectPtr<GMimeMessage> message(g_mime_message_new(TRUE));
    g_mime_message_add_mailbox(message.get(), GMIME_ADDRESS_TYPE_FROM,
                               header_value(mail.from_name).c_str(),
                               header_value(mail.from_address).c_str());
    for (const auto& to : mail.to)
        g_mime_message_add_mailbox(message.get(), GMIME_ADDRESS_TYPE_TO, nullptr,
                                   header_value(to).c_str());
    if (mail.reply_to)
        g_mime_message_add_mailbox(message.get(), GMIME_ADDRESS_TYPE_REPLY_TO, nullptr,
                                   header_value(*mail.reply_to).c_str());
    g_mime_message_set_subject(message.get(), header_value(mail.subject, 250).c_str(), "utf-8");
    g_mime_message_set_message_id(message.get(), header_value(mail.message_id, 900).c_str());

    GDateTime* date = g_date_time_new_from_unix_utc(mail.date.time_since_epoch().count());
    g_mime_message_set_date(message.get(), date);
    g_date_time_unref(date);

    GMimeObject* object = GMIME_OBJECT(message.get());
    if (mail.in_reply_to)
        g_mime_object_set_header(object, "In-Reply-To", angle(*mail.in_reply_to).c_str(), nullptr);
    if (!mail.references.empty()) {
        std::string references;
        for (const auto& id : mail.references)
            references += (references.empty() ? "" : " ") + angle(id);
        g_mime_object_set_header(object, "References", references.c_str(), nullptr);
    }
    if (mail.auto_submitted)
        g_mime_object_set_header(object, "Auto-Submitted", "auto-generated", nullptr);

    auto plain = text_part("plain", mail.text);
    GObjectPtr<GMimeObject> body(GMIME_OBJECT(g_object_ref(plain.get())));
    if (!mail.html.empty()) {
        GObjectPtr<GMimeMultipart> alternative(g_mime_multipart_new_with_subtype("alternative"));
        g_mime_multipart_add(alternative.get(), GMIME_OBJECT(plain.get()));
        auto html = text_part("html", mail.html);
        g_mime_multipart_add(alternative.get(), GMIME_OBJECT(html.get()));
        body.reset(GMIME_OBJECT(g_object_ref(alternative.get())));
        if (!mail.inline_images.empty()) {
            GObjectPtr<GMimeMultipart> related(g_mime_multipart_new_with_subtype("related"));
            g_mime_object_set_content_type_parameter(GMIME_OBJECT(related.get()), "type",
                                                     "multipart/alternative");
            g_mime_multipart_add(related.get(), body.get());
            for (const auto& image : mail.inline_images) {
                auto part = binary_part(image.content_type, image.filename, image.bytes);
                g_mime_object_set_content_id(GMIME_OBJECT(part.get()),
                                             header_value(image.content_id, 200).c_str());
                g_mime_object_set_disposition(GMIME_OBJECT(part.get()), "inline");
                g_mime_multipart_add(related.get(), GMIME_OBJECT(part.get()));
            }
            body.reset(GMIME_OBJECT(g_object_ref(related.get())));
        }
    }
    if (!mail.attachments.empty()) {
        GObjectPtr<GMimeMultipart> mixed(g_mime_multipart_new_with_subtype("mixed"));
        g_mime_multipart_add(mixed.get(), body.get());
        for (const auto& attachment : mail.attachments) {
            if (attachment.content_type == "message/rfc822") {
                g_mime_multipart_add(mixed.get(), GMIME_OBJECT(message_part(attachment).get()));
                continue;
            }
            auto part = binary_part(attachment.content_type, attachment.filename, attachment.bytes);
            g_mime_multipart_add(mixed.get(), GMIME_OBJECT(part.get()));
        }
        body.reset(GMIME_OBJECT(g_object_ref(mixed.get())));
    }
    g_mime_message_set_mime_part(message.get(), body.get());

    GMimeFormatOptions* options = g_mime_format_options_new();
    g_mime_format_options_set_newline_format(options, GMIME_NEWLINE_FORMAT_DOS);
    GString text(g_mime_object_to_string(object, options));
    g_mime_format_options_free(options);
    return text.get();
}

} // namespace lr::mail
