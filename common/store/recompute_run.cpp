#include "store/recompute_run.hpp"

#include "core/schedule.hpp"
#include "store/pg_array.hpp"
#include "store/timestamps.hpp"

namespace lr::store {

namespace {

constexpr int page_size = 10000;

bool same_schedule(const core::Dealer& a, const core::Dealer& b) {
    auto holidays = [](const core::Dealer& d) {
        std::vector<std::pair<date::sys_days, date::sys_days>> out;
        for (const auto& h : d.holidays)
            out.emplace_back(date::sys_days{h.from}, date::sys_days{h.to});
        return out;
    };
    auto supervisors = [](const core::Dealer& d) {
        std::vector<std::pair<std::string, std::optional<std::string>>> out;
        for (const auto& u : d.users)
            out.emplace_back(u.id, u.supervisor);
        return out;
    };
    return a.timezone_name == b.timezone_name && a.working_hours == b.working_hours &&
           holidays(a) == holidays(b) && a.public_holidays == b.public_holidays &&
           a.escalation.level1 == b.escalation.level1 &&
           a.escalation.reminder == b.escalation.reminder &&
           a.escalation.level2 == b.escalation.level2 &&
           a.escalation.level2_resubmission == b.escalation.level2_resubmission &&
           a.resubmission_respects_hours == b.resubmission_respects_hours &&
           a.admin_user == b.admin_user && supervisors(a) == supervisors(b);
}

} // namespace

std::vector<std::string> dealers_with_changed_schedule(const core::Config& before,
                                                       const core::Config& after) {
    std::vector<std::string> changed;
    for (const auto& dealer : after.dealers)
        if (const core::Dealer* old = before.find_dealer(dealer.id);
            old && !same_schedule(*old, dealer))
            changed.push_back(dealer.id);
    return changed;
}

RecomputeRun::RecomputeRun(std::shared_ptr<const core::Config> config,
                           std::vector<std::string> dealer_ids)
    : m_config(std::move(config)), m_dealers(std::move(dealer_ids)) {}

Statement RecomputeRun::page() const {
    return {"SELECT e.id, e.kind, extract(epoch FROM e.anchor_at)::bigint, l.dealer_id, "
            "coalesce(l.assignee, '') FROM scheduled_events e JOIN leads l ON l.id = e.lead_id "
            "WHERE e.state = 'pending' AND l.dealer_id = ANY($1::text[]) AND e.id > $2 "
            "ORDER BY e.id LIMIT $3",
            {array_literal(m_dealers), std::to_string(m_last_id), std::to_string(page_size)}};
}

std::optional<Statement> RecomputeRun::next(const Rows* previous) {
    switch (m_step) {
    case Step::page:
        m_step = Step::update;
        return page();
    case Step::update: {
        std::vector<long long> ids, cancel;
        std::vector<std::string> dues, sends, addressees;
        for (int i = 0; i < previous->size(); ++i) {
            long long id = previous->integer(i, 0);
            m_last_id = id;
            const std::string kind = previous->text(i, 1);
            const core::Dealer* dealer = m_config->find_dealer(previous->text(i, 3));
            core::Instant anchor = instant_from_epoch(previous->integer(i, 2));
            auto times =
                dealer
                    ? core::recompute_event(*dealer, kind, anchor)
                    : Result<std::optional<std::pair<core::Instant, core::Instant>>>(std::nullopt);
            if (!times || !*times) {
                cancel.push_back(id);
                continue;
            }
            ids.push_back(id);
            dues.push_back(timestamp_param((*times)->first));
            sends.push_back(timestamp_param((*times)->second));
            addressees.push_back(kind == core::event_kind::level2 ||
                                         kind == core::event_kind::level2_resubmission
                                     ? core::level2_addressee(*dealer, previous->text(i, 4))
                                     : std::string());
        }
        m_last_page = previous->size() < page_size;
        m_updated += static_cast<long long>(ids.size());
        m_cancelled += static_cast<long long>(cancel.size());
        m_step = m_last_page ? Step::done : Step::page;
        return Statement{
            "WITH u AS (UPDATE scheduled_events e SET due_at = x.d, send_at = x.s, "
            "addressee = CASE WHEN x.a = '' THEN e.addressee ELSE x.a END "
            "FROM unnest($1::bigint[], $2::timestamptz[], $3::timestamptz[], $4::text[]) "
            "AS x(i, d, s, a) WHERE e.id = x.i RETURNING 1), "
            "c AS (UPDATE scheduled_events SET state = 'cancelled' WHERE id = ANY($5::bigint[]) "
            "RETURNING 1) SELECT (SELECT count(*) FROM u), (SELECT count(*) FROM c)",
            {array_literal(ids), array_literal(dues), array_literal(sends),
             array_literal(addressees), array_literal(cancel)}};
    }
    case Step::done:
        return std::nullopt;
    }
    return std::nullopt;
}

} // namespace lr::store
