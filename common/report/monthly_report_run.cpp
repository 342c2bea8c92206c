#include "report/monthly_report_run.hpp"

#include "core/message_id.hpp"
#include "mail/compose.hpp"
#include "report/monthly_report.hpp"
#include "report/report_data.hpp"
#include "store/pg_array.hpp"
#include "store/timestamps.hpp"
#include "util/random_token.hpp"

#include <cstdio>

namespace lr::report {

namespace {

std::string first_day(date::year_month month) {
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-01", static_cast<int>(month.year()),
                  static_cast<unsigned>(month.month()));
    return text;
}

} // namespace

std::vector<DueReport> due_reports(const core::Config& config, core::Instant now) {
    std::vector<DueReport> due;
    for (const auto& dealer : config.dealers) {
        if (!dealer.reports.enabled || !dealer.calendar)
            continue;
        const auto local = date::make_zoned(dealer.timezone, now).get_local_time();
        const date::year_month_day today{date::floor<date::days>(local)};
        const date::year_month this_month{today.year(), today.month()};
        const date::local_days report_day{this_month / date::day{dealer.reports.day}};
        auto opens = dealer.calendar->next_open(
            core::local_to_instant(core::LocalTime{report_day}, dealer.timezone));
        if (opens && *opens <= now)
            due.push_back({dealer.id, this_month - date::months{1}});
    }
    return due;
}

MonthlyReportRun::MonthlyReportRun(std::shared_ptr<const core::Config> config, core::Instant now)
    : m_config(std::move(config)), m_now(now), m_due(due_reports(*m_config, now)) {}

std::optional<store::Statement> MonthlyReportRun::next(const store::Rows* previous) {
    switch (m_step) {
    case Step::find: {
        if (m_due.empty())
            return std::nullopt;
        std::vector<std::string> dealers, months;
        for (const auto& due : m_due) {
            dealers.push_back(due.dealer_id);
            months.push_back(first_day(due.month));
        }
        m_step = Step::claim;
        return store::Statement{
            "SELECT c.o FROM unnest($1::text[], $2::date[]) WITH ORDINALITY AS c(d, m, o) "
            "WHERE NOT EXISTS (SELECT 1 FROM report_mails r WHERE r.dealer_id = c.d AND "
            "r.month = c.m) ORDER BY c.o LIMIT 1",
            {store::array_literal(dealers), store::array_literal(months)}};
    }
    case Step::claim: {
        if (previous->empty())
            return std::nullopt; // every due report is queued
        m_found = true;
        m_current = m_due[static_cast<size_t>(previous->integer(0, 0) - 1)];
        m_step = Step::no_jit;
        // Blocks while another daemon's claim of the same row is open,
        // then finds it taken and returns nothing.
        return store::Statement{
            "INSERT INTO report_mails (dealer_id, month, created_at) VALUES "
            "($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1",
            {m_current->dealer_id, first_day(m_current->month), store::timestamp_param(m_now)}};
    }
    case Step::no_jit:
        if (previous->empty())
            return std::nullopt; // another daemon queues it
        m_step = Step::facts;
        return store::Statement{std::string("SET LOCAL ") + without_jit, {}};
    case Step::facts: {
        const core::Dealer* dealer = m_config->find_dealer(m_current->dealer_id);
        const date::local_days first{m_current->month / 1};
        const date::local_days last{m_current->month / date::last};
        std::tie(m_from, m_to) = period_bounds(first, last, dealer->timezone);
        m_step = Step::unassignable;
        return lead_facts(dealer->id, m_from, m_to);
    }
    case Step::unassignable:
        m_leads = read_lead_facts(*previous);
        m_step = Step::queue;
        return unassignable_by_reason(m_current->dealer_id, m_from, m_to);
    case Step::queue:
        m_step = Step::done;
        return queue(*previous);
    case Step::done:
        return std::nullopt;
    }
    return std::nullopt;
}

std::optional<store::Statement> MonthlyReportRun::queue(const store::Rows& unassignable_rows) {
    const core::Dealer& dealer = *m_config->find_dealer(m_current->dealer_id);
    Report report = compute_report(dealer, *dealer.calendar, m_leads, Dimension::user);
    report.from = date::local_days{m_current->month / 1};
    report.to = date::local_days{m_current->month / date::last};
    report.unassignable = read_unassignable(unassignable_rows);
    const auto recipients = report_recipients(dealer);
    if (recipients.empty())
        return std::nullopt; // nobody to tell: the month counts as done
    auto parts = monthly_report(dealer, report, m_leads, m_current->month);

    const std::string sender = dealer.locations.front().mailbox;
    const auto month_number =
        static_cast<long long>(static_cast<int>(m_current->month.year())) * 100 +
        static_cast<unsigned>(m_current->month.month());
    mail::OutgoingMail mail;
    mail.from_name = dealer.from_name;
    mail.from_address = sender;
    mail.to = recipients;
    mail.subject = parts.subject;
    mail.message_id = core::outgoing_message_id("report", month_number,
                                                util::random_hex(core::outgoing_token_bytes),
                                                core::domain_of(sender));
    mail.date = m_now;
    mail.text = parts.text;
    mail.html = parts.html;
    mail.inline_images = std::move(parts.charts);
    mail.attachments.push_back(std::move(parts.pdf));
    const std::string content = mail::compose(mail);
    // Inside the opening hours, like every mail to the dealer's people.
    const core::Instant send_at = dealer.calendar->next_open(m_now).value_or(m_now);
    m_queued = m_current;
    return store::Statement{
        "WITH o AS (INSERT INTO outbox (dealer_id, kind, message_id, mail_from, recipients, "
        "content, payload, not_before) VALUES ($1, 'monthly_report', $2, $3, $4::text[], "
        "$5::bytea, jsonb_build_object('month', $6::text), $7) RETURNING id) "
        "UPDATE report_mails SET outbox_id = (SELECT id FROM o) WHERE dealer_id = $1 AND "
        "month = $6::date",
        {dealer.id, "<" + mail.message_id + ">", sender, store::array_literal(recipients),
         store::hex_bytes(content), first_day(m_current->month), store::timestamp_param(send_at)}};
}

} // namespace lr::report
