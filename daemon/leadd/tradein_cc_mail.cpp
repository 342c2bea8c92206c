#include "tradein_cc_mail.hpp"

#include "mail/notice_text.hpp"
#include "outbox_mail.hpp"
#include "pdf/tradein_pdf.hpp"

namespace lr::daemon {

Result<mail::OutgoingMail> tradein_cc_mail(const core::Config& config, const core::Dealer& dealer,
                                           const store::OutboxMail& row, core::Instant now) {
    if (!row.lead_id)
        return Error{ErrorCode::invalid_input,
                     "trade-in CC " + std::to_string(row.id) + " has no lead"};
    mail::LeadSummary lead;
    lead.id = *row.lead_id;
    lead.received_at = row.received_at.value_or(now);
    lead.contact_name = row.contact_name;
    lead.contact_email = row.contact_email;
    const std::string car =
        row.trade_in_make + (row.trade_in_model.empty() ? "" : " ") + row.trade_in_model;

    pdf::TradeInSheet sheet;
    sheet.lead_id = lead.id;
    sheet.dealer_name = dealer.name;
    sheet.lead_url = config.system.automanager_url + std::to_string(lead.id);
    sheet.received = mail::local_time_text(lead.received_at, dealer);
    sheet.source = row.source;
    sheet.customer_name = row.contact_name;
    sheet.email = row.contact_email;
    sheet.phone = row.contact_phone;
    sheet.make = row.trade_in_make;
    sheet.model = row.trade_in_model;
    sheet.first_registration = row.trade_in_registration;
    sheet.mileage_km = row.trade_in_mileage_km;
    sheet.vin = row.trade_in_vin;
    sheet.message = row.message;

    auto text = mail::tradein_cc_text(lead, dealer, config.system.automanager_url, car);
    auto cc = notice_mail(dealer, row, text, now);
    cc.attachments.push_back({"Inzahlungnahme-Lead-" + std::to_string(lead.id) + ".pdf",
                              "application/pdf", pdf::render_tradein_pdf(sheet)});
    if (row.original)
        cc.attachments.push_back({"Original-Anfrage.eml", "message/rfc822", *row.original});
    return cc;
}

} // namespace lr::daemon
