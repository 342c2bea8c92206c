#include "classify/mail_view.hpp"

#include "classify/html_text.hpp"
#include "classify/values.hpp"
#include "mail/gobject_ptr.hpp"
#include "util/strings.hpp"

#include <algorithm>
#include <gmime/gmime.h>
#include <mutex>

namespace lr::classify {

namespace {

using mail::GObjectPtr;

constexpr int max_depth = 64;
constexpr int max_parts = 10'000;
// The text budget (issue #14): a lead is a few kilobytes; of each text
// part at most part_budget bytes are decoded, of all parts together at
// most total_budget, and nothing beyond is ever decoded or parsed. The
// classifier then reads the first megabyte of what is here.
constexpr size_t part_budget = 1 << 20;
constexpr size_t total_budget = 4 << 20;

void init_gmime() {
    static std::once_flag once;
    std::call_once(once, [] { g_mime_init(); });
}

std::string text_of(const char* value) {
    return value ? to_utf8(value) : std::string();
}

void add_addresses(InternetAddressList* list, std::vector<MailAddress>& out, int depth = 0) {
    if (!list || depth > 4)
        return;
    for (int i = 0; i < internet_address_list_length(list); ++i) {
        InternetAddress* address = internet_address_list_get_address(list, i);
        if (INTERNET_ADDRESS_IS_MAILBOX(address)) {
            out.push_back(
                {text_of(internet_address_get_name(address)),
                 text_of(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(address)))});
        } else if (INTERNET_ADDRESS_IS_GROUP(address)) {
            add_addresses(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(address)), out,
                          depth + 1);
        }
    }
}

void add_references(const char* value, std::vector<std::string>& out) {
    if (!value)
        return;
    GMimeReferences* references = g_mime_references_parse(nullptr, value);
    if (!references)
        return;
    for (int i = 0; i < g_mime_references_length(references); ++i)
        if (const char* id = g_mime_references_get_message_id(references, i))
            out.push_back(text_of(id));
    g_mime_references_free(references);
}

// At most limit bytes of the part's content, decoded as they are read
// (base64 or quoted-printable through a filter): a 40 MB part costs what
// its first megabyte costs.
std::string decoded_content(GMimePart* part, size_t limit) {
    GMimeDataWrapper* content = g_mime_part_get_content(part);
    GMimeStream* encoded = content ? g_mime_data_wrapper_get_stream(content) : nullptr;
    if (!encoded || limit == 0)
        return {};
    g_mime_stream_reset(encoded);
    GObjectPtr<GMimeStream> decoded(g_mime_stream_filter_new(encoded));
    GObjectPtr<GMimeFilter> decoder(
        g_mime_filter_basic_new(g_mime_data_wrapper_get_encoding(content), FALSE));
    g_mime_stream_filter_add(GMIME_STREAM_FILTER(decoded.get()), decoder.get());
    std::string out;
    char buffer[64 * 1024];
    while (out.size() < limit) {
        const ssize_t n =
            g_mime_stream_read(decoded.get(), buffer, std::min(sizeof buffer, limit - out.size()));
        if (n <= 0)
            break;
        out.append(buffer, static_cast<size_t>(n));
    }
    return out;
}

bool ends_with_icase(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() &&
           util::iequals(text.substr(text.size() - suffix.size()), suffix);
}

class PartWalker {
public:
    explicit PartWalker(MailView& view) : m_view(view) {}

    void walk(GMimeObject* object, int depth) {
        if (!object || depth > max_depth || m_view.part_count >= max_parts)
            return;
        ++m_view.part_count;
        if (GMIME_IS_MULTIPART(object)) {
            GMimeMultipart* multipart = GMIME_MULTIPART(object);
            for (int i = 0; i < g_mime_multipart_get_count(multipart); ++i)
                walk(g_mime_multipart_get_part(multipart, i), depth + 1);
        } else if (GMIME_IS_MESSAGE_PART(object)) {
            // A forwarded message: its text counts as part of this one (and
            // is kept apart in own_text for the classifier to leave out).
            ++m_view.attached_messages;
            GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(object));
            ++m_inside_message;
            if (inner)
                walk(g_mime_message_get_mime_part(inner), depth + 1);
            --m_inside_message;
        } else if (GMIME_IS_PART(object)) {
            read_leaf(GMIME_PART(object));
        }
    }

    // After the walk: own_text only where it differs from text.
    void finish() {
        if (m_view.attached_messages == 0)
            m_view.own_plain_text = std::string(); // its memory back, not only its length
        else if (!m_own_html_source.empty())
            m_view.own_html_text = html_to_text(m_own_html_source);
    }

private:
    void read_leaf(GMimePart* part) {
        GMimeContentType* type = g_mime_object_get_content_type(GMIME_OBJECT(part));
        const char* filename = g_mime_part_get_filename(part);
        const std::string name = filename ? filename : "";
        const bool xml = (type && (g_mime_content_type_is_type(type, "text", "xml") ||
                                   g_mime_content_type_is_type(type, "application", "xml"))) ||
                         ends_with_icase(name, ".xml") || ends_with_icase(name, ".adf");
        if (xml) {
            m_view.xml_parts.push_back(to_utf8(part_text(part)));
            return;
        }
        // A report of the message's own, not one a person passes on
        // inside a mail they attached.
        if (m_inside_message == 0 && type &&
            (g_mime_content_type_is_type(type, "message", "delivery-status") ||
             g_mime_content_type_is_type(type, "message", "global-delivery-status")))
            m_view.has_delivery_status_part = true;
        if (g_mime_part_is_attachment(part) || !type)
            return;
        const bool plain = g_mime_content_type_is_type(type, "text", "plain");
        if (!plain && !g_mime_content_type_is_type(type, "text", "html"))
            return;
        const std::string text = part_text(part);
        append(plain ? m_view.plain_text : m_view.html_source, text);
        if (m_inside_message == 0)
            append(plain ? m_view.own_plain_text : m_own_html_source, text);
    }

    // The part's text in UTF-8 from its declared charset. Decoded here, not
    // by g_mime_text_part_get_text, so that a NUL byte does not end the
    // text; an unknown or wrong charset falls back to to_utf8's reading.
    std::string part_text(GMimePart* part) {
        std::string bytes = decoded_content(part, std::min(part_budget, total_budget - m_decoded));
        m_decoded += bytes.size();
        std::erase(bytes, '\0');
        const char* charset =
            g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "charset");
        if (!charset || g_ascii_strcasecmp(charset, "utf-8") == 0 ||
            g_ascii_strcasecmp(charset, "us-ascii") == 0)
            return to_utf8(bytes);
        gsize written = 0;
        mail::GString converted(g_convert(bytes.data(), static_cast<gssize>(bytes.size()), "UTF-8",
                                          g_mime_charset_iconv_name(charset), nullptr, &written,
                                          nullptr));
        if (!converted)
            return to_utf8(bytes);
        return to_utf8(std::string_view(converted.get(), written));
    }

    static void append(std::string& out, const std::string& text) {
        if (text.empty())
            return;
        if (!out.empty())
            out += "\n\n";
        out += text;
    }

    MailView& m_view;
    size_t m_decoded = 0; // of total_budget
    int m_inside_message = 0;
    std::string m_own_html_source;
};

} // namespace

std::optional<std::string> MailView::header(std::string_view name) const {
    for (const auto& [key, value] : headers)
        if (util::iequals(key, name))
            return value;
    return std::nullopt;
}

Result<MailView> read_mail(std::string_view raw) {
    init_gmime();
    // GMime reads the caller's bytes where they are (new_with_buffer would
    // copy a 50 MB message once more): the array only borrows them, and
    // the stream does not own it.
    GByteArray* borrowed =
        g_byte_array_new_take(reinterpret_cast<guint8*>(const_cast<char*>(raw.data())), raw.size());
    struct GiveBack {
        GByteArray* array;
        ~GiveBack() { g_byte_array_free(array, FALSE); } // FALSE: the bytes stay the caller's
    } give_back{borrowed};
    GObjectPtr<GMimeStream> stream(g_mime_stream_mem_new_with_byte_array(borrowed));
    g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(stream.get()), FALSE);
    GObjectPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
    GObjectPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), nullptr));
    if (!message)
        return Error{ErrorCode::invalid_input, "not a mail message: no header could be read"};

    MailView view;
    GMimeHeaderList* headers = g_mime_object_get_header_list(GMIME_OBJECT(message.get()));
    for (int i = 0; headers && i < g_mime_header_list_get_count(headers); ++i) {
        GMimeHeader* header = g_mime_header_list_get_header_at(headers, i);
        view.headers.emplace_back(text_of(g_mime_header_get_name(header)),
                                  text_of(g_mime_header_get_value(header)));
    }
    if (view.headers.empty())
        return Error{ErrorCode::invalid_input, "not a mail message: no header could be read"};

    view.subject = text_of(g_mime_message_get_subject(message.get()));
    add_addresses(g_mime_message_get_from(message.get()), view.from);
    add_addresses(g_mime_message_get_sender(message.get()), view.sender);
    add_addresses(g_mime_message_get_reply_to(message.get()), view.reply_to);
    add_addresses(g_mime_message_get_to(message.get()), view.to);
    add_addresses(g_mime_message_get_cc(message.get()), view.cc);
    view.message_id = text_of(g_mime_message_get_message_id(message.get()));
    GMimeObject* top = GMIME_OBJECT(message.get());
    add_references(g_mime_object_get_header(top, "In-Reply-To"), view.references);
    add_references(g_mime_object_get_header(top, "References"), view.references);

    GMimeObject* body = g_mime_message_get_mime_part(message.get());
    if (body) {
        if (GMimeContentType* type = g_mime_object_get_content_type(body)) {
            mail::GString mime_type(g_mime_content_type_get_mime_type(type));
            view.mime_type = util::to_lower(mime_type ? mime_type.get() : "");
            if (const char* report = g_mime_content_type_get_parameter(type, "report-type"))
                view.report_type = util::to_lower(report);
        }
    }
    PartWalker walker(view);
    walker.walk(body, 0);
    walker.finish();
    if (!view.html_source.empty())
        view.html_text = html_to_text(view.html_source);
    return view;
}

} // namespace lr::classify
