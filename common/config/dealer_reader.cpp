#include "config/readers.hpp"
#include "core/address.hpp"
#include "core/local_time.hpp"
#include "core/public_holidays.hpp"

#include <date/tz.h>

namespace lr::config {

namespace {

constexpr const char* weekday_keys[] = {"mon", "tue", "wed", "thu", "fri", "sat"};

void read_locations(MapReader& reader, core::Dealer& dealer) {
    bool well_formed = reader.for_each_item("locations", [&](const YAML::Node& item, size_t i) {
        std::string fallback_key = reader.key_of("locations") + "[" + std::to_string(i) + "]";
        MapReader location_reader(item, fallback_key, reader.diagnostics());
        if (!location_reader.valid())
            return;
        core::Location location;
        location.id = location_reader.text("id", Need::required).value_or("");
        MapReader named(item, reader.key_of("locations") + "[" + location.id + "]",
                        reader.diagnostics());
        location.mailbox = named.address("mailbox", Need::required).value_or("");
        location.forward_to = named.address("forward_to");
        named.get("id");
        named.finish();
        dealer.locations.push_back(std::move(location));
    });
    if (dealer.locations.empty() && reader.valid() && well_formed)
        reader.error(reader.node(), "locations", "needs at least one location with a mailbox");
}

void read_working_hours(MapReader& reader, core::Dealer& dealer) {
    const YAML::Node node = reader.get("working_hours");
    if (!node.IsDefined() || node.IsNull())
        return;
    MapReader hours(node, reader.key_of("working_hours"), reader.diagnostics());
    for (size_t day = 0; day < 6; ++day) {
        std::string name = weekday_keys[day];
        hours.for_each_item(name, [&](const YAML::Node& item, size_t) {
            if (!item.IsScalar()) {
                hours.error(item, name, "an interval must be text like \"08:00-12:30\"");
                return;
            }
            auto parsed = core::parse_work_interval(item.Scalar());
            if (!parsed.interval) {
                hours.error(item, name, "\"" + item.Scalar() + "\" " + parsed.problem);
                return;
            }
            dealer.working_hours[day].push_back(*parsed.interval);
        });
    }
    if (const YAML::Node sunday = node["sun"]; sunday.IsDefined()) {
        hours.get("sun");
        bool empty = sunday.IsNull() || (sunday.IsSequence() && sunday.size() == 0);
        if (!empty)
            hours.error(sunday, "sun", "Sunday is never working time (SPEC §7); remove it");
    }
    hours.finish();
}

void read_holiday(MapReader& reader, const YAML::Node& item, size_t index, core::Dealer& dealer) {
    std::string name = "holidays[" + std::to_string(index) + "]";
    auto bad_date = [&](const YAML::Node& at, const std::string& text) {
        reader.error(at, name, "\"" + text + "\" is not a date (write YYYY-MM-DD)");
    };
    if (item.IsScalar()) {
        auto day = core::parse_date(item.Scalar());
        if (!day)
            return bad_date(item, item.Scalar());
        dealer.holidays.push_back({*day, *day, {}});
        return;
    }
    MapReader range(item, reader.key_of(name), reader.diagnostics());
    if (!range.valid())
        return;
    core::Holiday holiday;
    auto read = [&](const std::string& key, date::year_month_day& out) {
        auto text = range.text(key);
        if (!text)
            return false;
        auto day = core::parse_date(*text);
        if (!day) {
            range.error(item[key], key, "\"" + *text + "\" is not a date (write YYYY-MM-DD)");
            return false;
        }
        out = *day;
        return true;
    };
    bool ok = false;
    if (item["date"].IsDefined()) {
        ok = read("date", holiday.from);
        holiday.to = holiday.from;
    } else {
        bool has_from = read("from", holiday.from);
        bool has_to = read("to", holiday.to);
        ok = has_from && has_to;
        if (!item["from"].IsDefined() || !item["to"].IsDefined())
            range.error(item, "from", "a holiday is a date, or a mapping with from and to");
        else if (ok && holiday.to < holiday.from) {
            range.error(item["to"], "to", "ends before it starts");
            ok = false;
        }
    }
    holiday.name = range.text("name").value_or("");
    range.finish();
    if (ok)
        dealer.holidays.push_back(holiday);
}

void read_escalation(MapReader& reader, core::Dealer& dealer) {
    const YAML::Node node = reader.get("escalation");
    if (!node.IsDefined())
        return;
    MapReader escalation(node, reader.key_of("escalation"), reader.diagnostics());
    core::Escalation& out = dealer.escalation;
    if (auto value = escalation.duration("level1")) {
        if (value->count() == 0)
            escalation.error(node["level1"], "level1",
                             "must be longer than 0 (it is the seller's reaction time)");
        else
            out.level1 = *value;
    }
    out.reminder = escalation.duration("reminder").value_or(out.reminder);
    out.level2 = escalation.duration("level2").value_or(out.level2);
    out.level2_resubmission =
        escalation.duration("level2_resubmission").value_or(out.level2_resubmission);
    escalation.finish();
}

void read_reports(MapReader& reader, core::Dealer& dealer) {
    const YAML::Node node = reader.get("reports");
    if (!node.IsDefined() || node.IsNull())
        return;
    MapReader reports(node, reader.key_of("reports"), reader.diagnostics());
    if (!reports.valid())
        return;
    dealer.reports.enabled = reports.flag("monthly", false);
    for (auto recipient : reports.text_list("recipients")) {
        if (recipient.find('@') != std::string::npos) {
            if (!core::is_valid_address(recipient)) {
                reports.error(node["recipients"], "recipients",
                              "\"" + recipient +
                                  "\" is not an e-mail address (name@domain.example)");
                continue;
            }
            recipient = core::canonical_address(recipient);
        }
        dealer.reports.recipients.push_back(recipient); // a user id is checked with the others
    }
    // 1 to 28: every month has the day.
    if (auto day = bounded_number(reports, node, "day", 1, 28))
        dealer.reports.day = static_cast<unsigned>(*day);
    reports.finish();
}

void read_notices(MapReader& reader, core::Dealer& dealer) {
    const YAML::Node node = reader.get("notices");
    if (!node.IsDefined() || node.IsNull())
        return;
    MapReader notices(node, reader.key_of("notices"), reader.diagnostics());
    if (!notices.valid())
        return;
    dealer.notice_digest = notices.flag("digest", false);
    notices.finish();
}

void read_pool(MapReader& reader, core::Dealer& dealer) {
    const YAML::Node node = reader.get("pool");
    if (!node.IsDefined() || node.IsNull())
        return;
    MapReader pool(node, reader.key_of("pool"), reader.diagnostics());
    dealer.pool.enabled = pool.flag("enabled", false);
    dealer.pool.user =
        pool.text("user", dealer.pool.enabled ? Need::required : Need::optional).value_or("");
    dealer.pool.oldest_only = pool.flag("oldest_only", false);
    dealer.pool.notify_members = pool.flag("notify_members", false);
    pool.finish();
}

void check_values(MapReader& match, const YAML::Node& node, const std::string& name,
                  const std::vector<std::string>& values,
                  std::initializer_list<const char*> allowed) {
    for (const auto& value : values) {
        bool ok = false;
        std::string list;
        for (const char* candidate : allowed) {
            ok = ok || value == candidate;
            list += (list.empty() ? "" : ", ") + std::string(candidate);
        }
        if (!ok)
            match.error(node[name], name, "\"" + value + "\" is not one of " + list);
    }
}

void read_groups(MapReader& reader, core::Dealer& dealer) {
    reader.for_each_item("groups", [&](const YAML::Node& item, size_t i) {
        MapReader first(item, reader.key_of("groups") + "[" + std::to_string(i) + "]",
                        reader.diagnostics());
        if (!first.valid())
            return;
        core::Group group;
        group.id = first.text("id", Need::required).value_or(std::to_string(i));
        MapReader named(item, reader.key_of("groups") + "[" + group.id + "]", reader.diagnostics());
        named.get("id");
        if (const YAML::Node match_node = named.get("match"); match_node.IsDefined()) {
            MapReader match(match_node, named.key_of("match"), reader.diagnostics());
            group.match.locations = match.text_list("location");
            group.match.conditions = match.text_list("condition");
            group.match.makes = match.text_list("make");
            group.match.sources = match.text_list("source");
            group.match.kinds = match.text_list("kind");
            check_values(match, match_node, "condition", group.match.conditions, {"new", "used"});
            check_values(match, match_node, "kind", group.match.kinds, {"lead", "tradein"});
            match.finish();
        }
        group.members = named.text_list("members");
        if (group.members.empty())
            named.error(item, "members", "a group needs at least one member");
        named.finish();
        dealer.groups.push_back(std::move(group));
    });
}

void read_users(MapReader& reader, core::Dealer& dealer) {
    bool well_formed = reader.for_each_item("users", [&](const YAML::Node& item, size_t i) {
        MapReader first(item, reader.key_of("users") + "[" + std::to_string(i) + "]",
                        reader.diagnostics());
        if (!first.valid())
            return;
        core::User user;
        user.id = first.text("id", Need::required).value_or(std::to_string(i));
        MapReader named(item, reader.key_of("users") + "[" + user.id + "]", reader.diagnostics());
        named.get("id");
        user.name = named.text("name").value_or(user.id);
        user.email = named.address("email", Need::required).value_or("");
        user.location = named.nullable_text("location");
        user.receives_leads = named.flag("receives_leads", false);
        user.assignable = named.flag("assignable", false);
        user.supervisor = named.nullable_text("supervisor");
        user.substitute = named.nullable_text("substitute");
        user.smtp_login = named.nullable_text("smtp_login");
        named.finish();
        dealer.users.push_back(std::move(user));
    });
    if (dealer.users.empty() && reader.valid() && well_formed)
        reader.error(reader.node(), "users", "needs at least one user (the admin account)");
}

void read_timezone(MapReader& reader, core::Dealer& dealer) {
    auto name = reader.text("timezone");
    if (!name)
        name = dealer.timezone_name;
    try {
        dealer.timezone = date::locate_zone(*name);
        dealer.timezone_name = *name;
    } catch (const std::exception&) {
        reader.error(reader.node()["timezone"], "timezone",
                     "\"" + *name +
                         "\" is not a time zone of the tz database (e.g. Europe/Berlin)");
    }
}

// mail_server: "host:port", or a mapping with server and how to speak to
// it (tls, ca_file, credentials_file, client_cert, client_key; issue #20).
void read_mail_server(MapReader& reader, core::Dealer& dealer) {
    const YAML::Node node = reader.get("mail_server");
    const bool mapping = node.IsDefined() && node.IsMap();
    if (mapping) {
        MapReader server(node, reader.key_of("mail_server"), reader.diagnostics());
        dealer.mail_server = server.text("server", Need::required);
        read_smtp_security(server, dealer.mail_server_security);
        server.finish();
    } else {
        dealer.mail_server = reader.nullable_text("mail_server");
    }
    if (dealer.mail_server && !is_valid_host_port(*dealer.mail_server)) {
        reader.error(mapping ? node["server"] : node, "mail_server",
                     "\"" + *dealer.mail_server + "\" is not host or host:port");
        dealer.mail_server.reset();
    }
}

} // namespace

core::Dealer read_dealer(const YAML::Node& node, const std::string& index,
                         Diagnostics& diagnostics) {
    core::Dealer dealer;
    MapReader first(node, "dealers[" + index + "]", diagnostics);
    if (!first.valid())
        return dealer;
    dealer.id = first.text("id", Need::required).value_or(index);
    MapReader reader(node, "dealers[" + dealer.id + "]", diagnostics);
    reader.get("id");

    dealer.name = reader.text("name").value_or(dealer.id);
    read_timezone(reader, dealer);
    read_locations(reader, dealer);
    dealer.expose = reader.text("expose").value_or(dealer.expose);
    read_working_hours(reader, dealer);
    reader.for_each_item("holidays", [&](const YAML::Node& item, size_t i) {
        read_holiday(reader, item, i, dealer);
    });
    dealer.public_holidays = reader.nullable_text("public_holidays");
    if (dealer.public_holidays && !core::is_public_holiday_region(*dealer.public_holidays)) {
        reader.error(reader.node()["public_holidays"], "public_holidays",
                     "\"" + *dealer.public_holidays +
                         "\" is not DE or a German state code (DE-BW, DE-BY, ... DE-TH)");
        dealer.public_holidays.reset();
    }
    read_escalation(reader, dealer);
    dealer.from_name = reader.text("from_name").value_or(dealer.name);
    dealer.distribute_existing_contacts = reader.flag("distribute_existing_contacts", false);
    dealer.trade_in_cc = reader.address("trade_in_cc");
    dealer.fallback_user = reader.nullable_text("fallback_user");
    dealer.admin_user = reader.text("admin_user", Need::required).value_or("");
    dealer.unassigned_notify = reader.address("unassigned_notify");
    read_mail_server(reader, dealer);
    dealer.send_external_mail = reader.flag("send_external_mail", true);
    dealer.lead_tracking = reader.flag("lead_tracking", false);
    dealer.resubmission_respects_hours = reader.flag("resubmission_respects_hours", true);
    dealer.use_vehicle_location_rules = reader.flag("use_vehicle_location_rules", false);
    dealer.reaction_proofs = read_reaction_proofs(reader);
    if (const YAML::Node privacy = reader.get("privacy"); privacy.IsDefined()) {
        MapReader privacy_reader(privacy, reader.key_of("privacy"), reader.diagnostics());
        if (privacy_reader.valid()) {
            read_retention(privacy_reader, privacy,
                           {[&](auto p) { dealer.retain_raw_mail = p; },
                            [&](auto p) { dealer.retain_unassignable = p; },
                            [&](auto p) { dealer.retain_leads = p; },
                            [&](auto p) { dealer.retain_sent_mail = p; }});
            privacy_reader.finish();
        }
    }
    read_reports(reader, dealer);
    read_notices(reader, dealer);
    read_pool(reader, dealer);
    read_groups(reader, dealer);
    read_users(reader, dealer);
    reader.finish();
    return dealer;
}

} // namespace lr::config
