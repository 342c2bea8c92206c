// The response-time report over a year of a big dealer (issue #18): LEADS
// leads of mueller in 2025 (each with its assignment, one or two actions,
// three fired events; a seventh of them pool leads with a claim), another
// dealer with as many again, and unassignable mail; then `leadctl report`
// for the year, by nothing and by user, each run RUNS times, the time of
// each printed (and the statement's plan, to see which indexes it uses).
//
//   build/release/tests/bench/report_bench [LEADS] [RUNS]   (defaults 100000 5)
#include "cli.hpp"
#include "config/loader.hpp"
#include "mail/compose.hpp"
#include "pg_cluster.hpp"
#include "report/monthly_report.hpp"
#include "report/report_data.hpp"
#include "report/report_output.hpp"
#include "store/pg.hpp"
#include "store/timestamps.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <sstream>
#include <stdexcept>

using namespace lr;
using Clock = std::chrono::steady_clock;

namespace {

void exec(store::Connection& db, const std::string& sql) {
    auto done = db.exec(sql);
    if (!done)
        throw std::runtime_error(done.error().message);
}

void seed(store::Connection& db, const std::string& dealer, long long leads) {
    const std::string n = std::to_string(leads);
    // Spread over 2025; the reaction 5 minutes to 2 days later.
    exec(db, "INSERT INTO leads (dealer_id, location_id, kind, source, token, state, assignee, "
             "received_at) SELECT '" +
                 dealer +
                 "', 'hamburg', CASE WHEN g % 3 = 0 THEN "
                 "'tradein' ELSE 'lead' END, (ARRAY['mobile.de','autoscout24','website','email'])"
                 "[1 + g % 4], '" +
                 dealer +
                 "-' || g, 'responded', (ARRAY['schmidt','weber',"
                 "'yilmaz'])[1 + g % 3], timestamptz '2025-01-01 00:00+01' + (g * interval '1 "
                 "second' * (365 * 86400 / " +
                 n + ")) FROM generate_series(1, " + n + ") g");
    exec(db, "INSERT INTO assignments (lead_id, dealer_id, user_id, rule, assigned_at, "
             "generation) SELECT id, dealer_id, CASE WHEN id % 7 = 3 THEN 'pool' ELSE assignee "
             "END, CASE WHEN id % 7 = 3 THEN 'pool' ELSE 'rotation' END, received_at + interval "
             "'1 second', 1 FROM leads WHERE dealer_id = '" +
                 dealer + "'");
    exec(db, "INSERT INTO assignments (lead_id, dealer_id, user_id, rule, assigned_at, "
             "generation) SELECT id, dealer_id, assignee, 'claim', received_at + interval "
             "'20 minutes', 2 FROM leads WHERE dealer_id = '" +
                 dealer + "' AND id % 7 = 3");
    exec(db, "INSERT INTO lead_actions (lead_id, dealer_id, action, user_id, channel, acted_at) "
             "SELECT id, dealer_id, (ARRAY['reaction','reply','close'])[1 + id % 3], assignee, "
             "'cli', received_at + (id % 2880) * interval '1 minute' + interval '5 minutes' "
             "FROM leads WHERE dealer_id = '" +
                 dealer + "' AND id % 10 <> 6");
    exec(db, "INSERT INTO lead_actions (lead_id, dealer_id, action, user_id, channel, acted_at) "
             "SELECT id, dealer_id, 'reply', assignee, 'mail', received_at + interval '3 days' "
             "FROM leads WHERE dealer_id = '" +
                 dealer + "' AND id % 4 = 1");
    exec(db, "INSERT INTO scheduled_events (lead_id, kind, anchor_at, due_at, send_at, addressee, "
             "state) SELECT id, k, received_at, received_at, received_at, assignee, 'done' FROM "
             "leads, unnest(ARRAY['assignment_notice','reminder','level1']) k WHERE dealer_id = '" +
                 dealer + "'");
    exec(db, "INSERT INTO messages (dealer_id, kind, reason, received_at) SELECT '" + dealer +
                 "', 'unassignable', (ARRAY['bounce','auto_reply','bulk','no_contact'])[1 + g % "
                 "4], timestamptz '2025-01-01 00:00+01' + g * interval '5 minutes' FROM "
                 "generate_series(1, " +
                 std::to_string(leads / 5) + ") g");
}

} // namespace

int main(int argc, char** argv) try {
    const long long leads = argc > 1 ? std::stoll(argv[1]) : 100000;
    const int runs = argc > 2 ? std::stoi(argv[2]) : 5;
    auto cluster = test::PgCluster::start(true);
    const std::string conninfo = cluster.create_migrated_database("bench");
    auto db = store::Connection::open(conninfo);
    if (!db)
        throw std::runtime_error(db.error().message);
    const auto seeding = Clock::now();
    seed(*db, "mueller", leads);
    seed(*db, "other", leads);
    exec(*db, "VACUUM ANALYZE");
    std::printf("seeded %lld leads of mueller and %lld of another dealer in %.1f s\n", leads, leads,
                std::chrono::duration<double>(Clock::now() - seeding).count());

    auto loaded =
        config::load_config_file(std::string(LEADROUTER_SPEC_DIR) + "/config-example.yaml");
    if (!loaded.config)
        throw std::runtime_error("the example configuration does not load");
    const core::Dealer& dealer = *loaded.config->find_dealer("mueller");
    const date::local_days first{date::year{2025} / 1 / 1}, last{date::year{2025} / 12 / 31};

    exec(*db, std::string("SET ") + report::without_jit); // as leadctl report does
    auto [from, to] = report::period_bounds(first, last, dealer.timezone);
    auto statement = report::lead_facts("mueller", from, to);
    auto plan =
        db->exec("EXPLAIN (ANALYZE, BUFFERS OFF, TIMING OFF) " + statement.sql, statement.params);
    if (!plan)
        throw std::runtime_error(plan.error().message);
    std::printf("plan of the facts statement:\n");
    for (int i = 0; i < plan->size(); ++i)
        std::printf("  %s\n", plan->text(i, 0).c_str());

    for (auto by : {report::Dimension::none, report::Dimension::user}) {
        std::vector<double> times, sql_times;
        long long received = 0;
        for (int run = 0; run < runs; ++run) {
            const auto start = Clock::now();
            auto facts = db->exec(statement);
            if (!facts)
                throw std::runtime_error(facts.error().message);
            sql_times.push_back(std::chrono::duration<double>(Clock::now() - start).count());
            auto report = report::load_report(*db, dealer, first, last, by);
            if (!report)
                throw std::runtime_error(report.error().message);
            const auto begin = Clock::now();
            report = report::load_report(*db, dealer, first, last, by);
            const std::string text = report::render_report(*report, report::Format::table);
            times.push_back(std::chrono::duration<double>(Clock::now() - begin).count());
            received = report->total.received;
        }
        std::sort(times.begin(), times.end());
        std::sort(sql_times.begin(), sql_times.end());
        std::printf("report --by %s over %lld leads: median %.0f ms (min %.0f, max %.0f); the "
                    "facts statement alone: median %.0f ms\n",
                    report::dimension_name(by), received, times[times.size() / 2] * 1000,
                    times.front() * 1000, times.back() * 1000,
                    sql_times[sql_times.size() / 2] * 1000);
    }
    // The whole command as a sysadmin runs it: configuration, connection,
    // statements, figures, table.
    std::vector<double> commands;
    for (int run = 0; run < runs; ++run) {
        std::ostringstream out, err;
        const auto start = Clock::now();
        const int rc = ctl::run_leadctl({"report", "--config",
                                         std::string(LEADROUTER_SPEC_DIR) + "/config-example.yaml",
                                         "--database", conninfo, "--dealer", "mueller", "--from",
                                         "2025-01-01", "--to", "2025-12-31", "--by", "user"},
                                        out, err);
        commands.push_back(std::chrono::duration<double>(Clock::now() - start).count());
        if (rc != 0)
            throw std::runtime_error("leadctl report: " + err.str());
    }
    std::sort(commands.begin(), commands.end());
    std::printf("leadctl report --by user for the year, the whole command: median %.0f ms (min "
                "%.0f, max %.0f)\n",
                commands[commands.size() / 2] * 1000, commands.front() * 1000,
                commands.back() * 1000);

    // What leadd does on its loop for the monthly mail: a month's figures
    // by user, three PNGs, the PDF, the mail composed.
    const date::year_month june = date::year{2025} / date::June;
    auto [june_from, june_to] = report::period_bounds(
        date::local_days{june / 1}, date::local_days{june / date::last}, dealer.timezone);
    auto june_facts = db->exec(report::lead_facts("mueller", june_from, june_to));
    if (!june_facts)
        throw std::runtime_error(june_facts.error().message);
    const auto facts = report::read_lead_facts(*june_facts);
    std::vector<double> renders;
    size_t bytes = 0;
    for (int run = 0; run < runs; ++run) {
        const auto start = Clock::now();
        auto month =
            report::compute_report(dealer, *dealer.calendar, facts, report::Dimension::user);
        month.from = date::local_days{june / 1};
        month.to = date::local_days{june / date::last};
        auto parts = report::monthly_report(dealer, month, facts, june);
        mail::OutgoingMail mail;
        mail.from_address = "mueller@dein.auto";
        mail.to = {"p.mayer@autohaus-mueller.example"};
        mail.subject = parts.subject;
        mail.message_id = "bench@dein.auto";
        mail.text = parts.text;
        mail.html = parts.html;
        mail.inline_images = parts.charts;
        mail.attachments.push_back(parts.pdf);
        bytes = mail::compose(mail).size();
        renders.push_back(std::chrono::duration<double>(Clock::now() - start).count());
    }
    std::sort(renders.begin(), renders.end());
    std::printf("monthly mail for June (%zu leads): figures, 3 charts, PDF and MIME in median "
                "%.0f ms (max %.0f), %zu bytes\n",
                facts.size(), renders[renders.size() / 2] * 1000, renders.back() * 1000, bytes);
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "report_bench: %s\n", e.what());
    return 1;
}
