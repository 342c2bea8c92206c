// German statutory public holidays (gesetzliche Feiertage) per state, for
// any year: `public_holidays: DE-HH` in a dealer's configuration adds them
// to the dealer's own holidays. "DE" alone gives the nationwide ones.
//
// Only holidays that hold in a whole state are included: Mariä Himmelfahrt
// in Bavaria (only in mainly Catholic municipalities), Fronleichnam in parts
// of Saxony and Thuringia, and the Augsburg Friedensfest are not; add them
// to `holidays` where they apply.
#pragma once

#include <date/date.h>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lr::core {

struct PublicHoliday {
    date::year_month_day day;
    std::string name;
};

// "DE" or "DE-BW" … "DE-TH"; false for anything else.
bool is_public_holiday_region(std::string_view region);

// The region's holidays in that year, in date order.
std::vector<PublicHoliday> public_holidays(std::string_view region, int year);

date::year_month_day easter_sunday(int year);

} // namespace lr::core
