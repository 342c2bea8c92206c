#include "action_site.hpp"

#include "core/lead_permission.hpp"
#include "log/log.hpp"
#include "mail/command_reply_text.hpp"
#include "mail/notice_text.hpp"
#include "pages.hpp"
#include "reply/customer_reply.hpp"
#include "store/lead_command.hpp"
#include "util/strings.hpp"
#include "web/action_links.hpp"

namespace lr::leadweb {

namespace {

const char* const invalid_title = "Dieser Link ist ungültig";
const char* const invalid_text =
    "Er wurde beim Kopieren abgeschnitten oder verändert. Öffnen Sie ihn bitte direkt aus der "
    "E-Mail.";

std::string user_name(const core::Dealer& dealer, const std::optional<std::string>& user_id) {
    if (!user_id)
        return {};
    if (dealer.pool.enabled && *user_id == dealer.pool.user)
        return "im Pool";
    const core::User* user = dealer.find_user(*user_id);
    return user ? user->name : *user_id;
}

PageLead page_lead(const store::LeadFacts& facts, const core::Dealer& dealer) {
    return {facts.id,
            mail::local_time_text(facts.received_at, dealer),
            facts.kind == "tradein" ? "Inzahlungnahme" : "Anfrage",
            facts.source,
            facts.contact_name,
            facts.vehicle,
            user_name(dealer, facts.assignee)};
}

// How the lead stands now, for a link made before it changed.
std::string standing_sentence(const store::LeadFacts& facts, const core::Dealer& dealer,
                              const std::string& user_id) {
    const std::string holder = user_name(dealer, facts.assignee);
    if (facts.state == "closed")
        return "Die Anfrage ist inzwischen geschlossen.";
    if (facts.state == "merged")
        return "Die Anfrage wurde mit einer anderen desselben Kunden zusammengeführt.";
    if (facts.state == "responded")
        return "Die Anfrage ist inzwischen beantwortet" +
               (holder.empty() ? std::string(".") : " (zuständig: " + holder + ").");
    if (facts.assignee && *facts.assignee == user_id)
        return "Die Anfrage wurde inzwischen geändert; sie ist Ihnen zugewiesen. Neuere Links "
               "finden Sie in der letzten Benachrichtigung.";
    if (holder == "im Pool" || holder.empty())
        return "Die Anfrage wurde inzwischen geändert; sie liegt im Pool.";
    return "Die Anfrage wurde inzwischen geändert: " + holder + " hat sie jetzt.";
}

// Tomorrow 09:00 in the dealer's zone, as a datetime-local value.
std::string tomorrow_morning(core::Instant now, const core::Dealer& dealer) {
    const auto local = date::make_zoned(dealer.timezone, now).get_local_time();
    const auto day = date::floor<date::days>(local) + date::days{1};
    return date::format("%Y-%m-%dT09:00", day);
}

std::vector<std::pair<std::string, std::string>> reassign_choices(const core::Dealer& dealer,
                                                                  const store::LeadFacts& facts) {
    std::vector<std::pair<std::string, std::string>> choices;
    for (const auto& user : dealer.users)
        if (user.assignable && (!facts.assignee || user.id != *facts.assignee))
            choices.emplace_back(user.id, user.name);
    return choices;
}

HttpResponse unavailable(const Error& error) {
    log::error("leadweb: database: " + error.message);
    return outcome_page(Outcome::unavailable, "Gerade nicht möglich",
                        "Das System ist kurz nicht erreichbar. Bitte versuchen Sie es in einer "
                        "Minute noch einmal.");
}

// What the token says, checked: its signature, its time, the lead, the
// user, the lead's version. Either the facts to go on with or the page
// that says why not.
struct Checked {
    web::ActionClaim claim;
    store::LeadFacts facts;
    const core::Dealer* dealer = nullptr;
    const core::User* user = nullptr;
};

std::variant<Checked, HttpResponse> check(const SiteSettings& settings, const std::string& token,
                                          store::Connection& connection, bool lock,
                                          core::Instant now) {
    const auto checked = web::check_token(token, settings.keys, now);
    if (checked.check == web::TokenCheck::expired)
        return outcome_page(Outcome::expired, "Dieser Link ist abgelaufen",
                            "Links in Benachrichtigungen gelten nur eine Weile. Die Anfrage "
                            "finden Sie im Automanager oder in einer neueren Benachrichtigung.");
    if (checked.check != web::TokenCheck::valid)
        return outcome_page(Outcome::invalid, invalid_title, invalid_text);
    auto facts = store::read_lead_facts(connection, checked.claim.lead_id, lock);
    if (!facts)
        return unavailable(facts.error());
    const core::Dealer* dealer =
        *facts ? settings.config->find_dealer((*facts)->dealer_id) : nullptr;
    if (!*facts || !dealer)
        return outcome_page(Outcome::invalid, invalid_title,
                            "Diese Anfrage gibt es hier nicht (mehr).");
    const core::User* user = dealer->find_user(checked.claim.user_id);
    if (!user)
        return outcome_page(Outcome::refused, "Nicht möglich",
                            mail::refusal_text(core::Refusal::not_a_user, {}, {}, {}),
                            page_lead(**facts, *dealer));
    if ((*facts)->version != checked.claim.lead_version)
        return outcome_page(Outcome::changed, "Dieser Link gilt nicht mehr",
                            standing_sentence(**facts, *dealer, user->id),
                            page_lead(**facts, *dealer));
    return Checked{checked.claim, std::move(**facts), dealer, user};
}

Result<core::Permission> permission(store::Connection& connection, const Checked& checked,
                                    const core::ReplyCommand& command) {
    return store::permission_for(connection, checked.facts, *checked.dealer, checked.user->id,
                                 command);
}

HttpResponse refused(const Checked& checked, core::Refusal refusal,
                     const core::ReplyCommand& command) {
    core::LeadStanding standing{checked.facts.id, checked.facts.state, checked.facts.assignee,
                                std::nullopt};
    return outcome_page(Outcome::refused, "Nicht möglich",
                        mail::refusal_text(refusal, standing,
                                           user_name(*checked.dealer, checked.facts.assignee),
                                           command.target),
                        page_lead(checked.facts, *checked.dealer));
}

void log_action(const Checked& lead, core::LeadAction action, const log::Fields& token_field) {
    log::Fields fields = {{"LEAD_ID", std::to_string(lead.facts.id)},
                          {"DEALER", lead.dealer->id},
                          {"USER", lead.user->id},
                          {"ACTION", std::string(core::action_name(action))}};
    fields.insert(fields.end(), token_field.begin(), token_field.end());
    log::info("lead action through a link", fields);
}

// The LMS reply page's POST: the text (and the exposé) to the customer,
// through leadctl reply's code.
HttpResponse reply(store::Transaction& transaction, const SiteSettings& settings,
                   const Checked& lead, const HttpRequest& request, const store::Actor& actor,
                   core::Instant now, const log::Fields& token_field) {
    reply::ReplyRequest asked;
    asked.lead_id = lead.facts.id;
    // A browser sends a textarea's lines with CRLF; the mail is composed
    // from plain lines.
    if (auto text = request.form.find("text"); text != request.form.end())
        for (size_t i = 0; i < text->second.size(); ++i)
            if (!(text->second[i] == '\r' && i + 1 < text->second.size() &&
                  text->second[i + 1] == '\n'))
                asked.body += text->second[i];
    asked.expose = request.form.count("expose") == 1;
    asked.actor = actor;
    asked.now = now;
    auto queued = reply::reply_to_customer(transaction, *settings.config, asked);
    if (!queued && queued.error().code == ErrorCode::database)
        return unavailable(queued.error());
    if (!queued && queued.error().code == ErrorCode::invalid_input)
        return outcome_page(Outcome::bad_input, "Bitte Antwort schreiben",
                            "Schreiben Sie Ihre Antwort in das Feld und senden Sie das "
                            "Formular noch einmal.",
                            page_lead(lead.facts, *lead.dealer));
    if (!queued && asked.expose && queued.error().code == ErrorCode::not_found)
        return outcome_page(Outcome::refused, "Kein Exposé",
                            "Zu diesem Fahrzeug liegt kein Exposé vor. Die Antwort wurde nicht "
                            "versandt; senden Sie sie ohne Exposé.",
                            page_lead(lead.facts, *lead.dealer));
    if (!queued)
        return outcome_page(Outcome::refused, "Nicht möglich",
                            "Die Antwort wurde nicht versandt: " + queued.error().message,
                            page_lead(lead.facts, *lead.dealer));
    if (auto committed = transaction.commit(); !committed)
        return unavailable(committed.error());
    log_action(lead, core::LeadAction::reply, token_field);
    return outcome_page(Outcome::done, "Erledigt",
                        mail::done_sentence(*lead.dealer, {core::LeadAction::reply, {}, {}}, {}) +
                            " An: " + queued->customer_email +
                            (queued->with_expose ? ", mit Exposé." : "."),
                        page_lead(lead.facts, *lead.dealer));
}

} // namespace

std::string expected_host(const std::string& public_url) {
    const bool https = util::starts_with_icase(public_url, "https://");
    std::string rest = public_url.substr(public_url.find("://") + 3);
    return normal_host(rest.substr(0, rest.find('/')), https);
}

std::string normal_host(const std::string& host, bool https) {
    std::string out = util::to_lower(host);
    const std::string default_port = https ? ":443" : ":80";
    if (out.size() > default_port.size() &&
        out.compare(out.size() - default_port.size(), default_port.size(), default_port) == 0)
        out.resize(out.size() - default_port.size());
    return out;
}

ActionSite::ActionSite(store::ConnectionPool& pool, std::shared_ptr<const SiteSettings> settings,
                       Clock clock)
    : m_pool(pool), m_api(pool, clock), m_settings(std::move(settings)), m_clock(std::move(clock)) {
}

void ActionSite::replace_settings(std::shared_ptr<const SiteSettings> settings) {
    std::lock_guard lock(m_mutex);
    m_settings = std::move(settings);
}

std::shared_ptr<const SiteSettings> ActionSite::settings() const {
    std::lock_guard lock(m_mutex);
    return m_settings;
}

HttpResponse ActionSite::handle(const HttpRequest& request) {
    const bool reading = request.method == "GET" || request.method == "HEAD";
    if (request.path == "/healthz")
        return reading ? health() : method_not_allowed_page("GET, HEAD");
    auto current = settings();
    const auto& public_url = current->config->system.web.public_url;
    if (!public_url ||
        normal_host(request.host, util::starts_with_icase(*public_url, "https://")) !=
            expected_host(*public_url)) {
        log::warning("leadweb: request for another host refused", {{"HOST", request.host}});
        return wrong_host_page();
    }
    if (request.path.rfind("/api/", 0) == 0)
        return m_api.handle(request, *current->config);
    if (request.path.rfind("/a/", 0) != 0 || request.path.size() == 3)
        return not_found_page();
    if (!reading && request.method != "POST")
        return method_not_allowed_page("GET, HEAD, POST");
    return action(request, *current, request.path.substr(3));
}

HttpResponse ActionSite::health() {
    HttpResponse response;
    response.content_type = "text/plain; charset=utf-8";
    response.headers = {{"Cache-Control", "no-store"}};
    auto connection = m_pool.take();
    auto rows =
        connection ? (*connection)->exec("SELECT 1") : Result<store::Rows>(connection.error());
    if (!rows) {
        if (connection)
            connection->discard();
        response.status = 503;
        response.body = "database unavailable\n";
    } else {
        response.body = "ok\n";
    }
    return response;
}

HttpResponse ActionSite::action(const HttpRequest& request, const SiteSettings& settings,
                                const std::string& token) {
    const core::Instant now = m_clock();
    const bool acting = request.method == "POST";
    const log::Fields token_field = {{"TOKEN", web::token_fingerprint(token)}};
    auto connection = m_pool.take();
    if (!connection)
        return unavailable(connection.error());
    store::Connection& db = **connection;

    if (!acting) { // GET and HEAD: show, never change
        auto checked = check(settings, token, db, false, now);
        if (auto* page = std::get_if<HttpResponse>(&checked))
            return std::move(*page);
        const auto& lead = std::get<Checked>(checked);
        core::ReplyCommand command{lead.claim.action, std::nullopt, {}};
        if (command.action == core::LeadAction::resubmit)
            command.when = now; // any time: the question is whether they may
        auto allowed = permission(db, lead, command);
        if (!allowed) {
            connection->discard();
            return unavailable(allowed.error());
        }
        // A reassignment names nobody yet: whether this user may reassign
        // at all is the question (to whom is the page's).
        if (!*allowed && *allowed->refusal != core::Refusal::unknown_target)
            return refused(lead, *allowed->refusal, command);
        return confirm_page({lead.claim.action, page_lead(lead.facts, *lead.dealer),
                             lead.user->name, tomorrow_morning(now, *lead.dealer),
                             reassign_choices(*lead.dealer, lead.facts), lead.facts.contact_name,
                             lead.dealer->expose != "none"});
    }

    auto transaction = store::Transaction::begin(db);
    if (!transaction) {
        connection->discard();
        return unavailable(transaction.error());
    }
    auto checked = check(settings, token, db, true, now);
    if (auto* page = std::get_if<HttpResponse>(&checked))
        return std::move(*page);
    const auto& lead = std::get<Checked>(checked);
    core::ReplyCommand command{lead.claim.action, std::nullopt, {}};
    if (command.action == core::LeadAction::resubmit) {
        const auto field = request.form.find("when");
        if (field != request.form.end())
            command.when = core::parse_iso8601(field->second, lead.dealer->timezone);
        if (!command.when || *command.when <= now)
            return outcome_page(Outcome::bad_input, "Bitte Zeitpunkt wählen",
                                "Wählen Sie für die Wiedervorlage ein Datum und eine Uhrzeit in "
                                "der Zukunft und senden Sie das Formular noch einmal.",
                                page_lead(lead.facts, *lead.dealer));
    }
    if (command.action == core::LeadAction::reassign) {
        const auto field = request.form.find("to");
        if (field == request.form.end() || !lead.dealer->find_user(field->second))
            return outcome_page(Outcome::bad_input, "Bitte Benutzer wählen",
                                "Wählen Sie, wem die Anfrage zugewiesen werden soll.",
                                page_lead(lead.facts, *lead.dealer));
        command.target = field->second;
    }
    auto allowed = permission(db, lead, command);
    if (!allowed) {
        connection->discard();
        return unavailable(allowed.error());
    }
    if (!*allowed)
        return refused(lead, *allowed->refusal, command);
    const store::Actor actor{lead.user->id, store::Channel::web};
    if (command.action == core::LeadAction::reply)
        return reply(*transaction, settings, lead, request, actor, now, token_field);
    auto done = store::carry_out_command(*transaction, *settings.config, *lead.dealer, actor,
                                         lead.facts.id, command, *allowed, now);
    if (!done && done.error().code == ErrorCode::database) {
        connection->discard();
        return unavailable(done.error());
    }
    if (!done)
        return outcome_page(Outcome::refused, "Nicht möglich", done.error().message,
                            page_lead(lead.facts, *lead.dealer));
    if (auto committed = transaction->commit(); !committed) {
        connection->discard();
        return unavailable(committed.error());
    }
    log_action(lead, command.action, token_field);
    const std::string target = allowed->target ? allowed->target->name : std::string();
    auto after = page_lead(lead.facts, *lead.dealer);
    after.holder = command.action == core::LeadAction::claim      ? lead.user->name
                   : command.action == core::LeadAction::reassign ? target
                                                                  : after.holder;
    return outcome_page(Outcome::done, "Erledigt",
                        mail::done_sentence(*lead.dealer, command, target), after);
}

} // namespace lr::leadweb
