#include "core/vehicle.hpp"

#include <catch2/catch.hpp>

using namespace lr;

namespace {

core::Dealer dealer_with_locations() {
    core::Dealer dealer;
    dealer.id = "mueller";
    dealer.locations = {{"hamburg", "mueller@dein.auto", {}}, {"kiel", "kiel@dein.auto", {}}};
    return dealer;
}

core::InventoryParse parse(const std::string& csv) {
    auto records = util::parse_csv(csv);
    REQUIRE(records);
    return core::read_inventory(*records, dealer_with_locations());
}

} // namespace

TEST_CASE("inventory CSV: columns by name, listings per marketplace, exposés by type",
          "[vehicle]") {
    auto inventory = parse("Internal_Number;location;condition;make;model;vin;listing:mobile.de;"
                           "listing:autoscout24;expose:standard\n"
                           "HH-2231;hamburg;gebraucht;Volkswagen;Golf;wvwzzz1kzaw000001;"
                           "412345678;;/srv/expose/HH-2231.pdf\n"
                           "KI-7;kiel;new;BMW;i4;;;as-99;\n");
    REQUIRE(inventory.errors.empty());
    REQUIRE(inventory.vehicles.size() == 2);
    const auto& golf = inventory.vehicles[0];
    CHECK(golf.internal_number == "HH-2231");
    CHECK(golf.location == "hamburg");
    CHECK(golf.condition == "used");
    CHECK(golf.vin == "WVWZZZ1KZAW000001");
    CHECK(golf.listing_ids == std::map<std::string, std::string>{{"mobile.de", "412345678"}});
    CHECK(golf.exposes.at("standard") == "/srv/expose/HH-2231.pdf");
    const auto& bmw = inventory.vehicles[1];
    CHECK(bmw.condition == "new");
    CHECK_FALSE(bmw.vin);
    CHECK(bmw.listing_ids == std::map<std::string, std::string>{{"autoscout24", "as-99"}});
    CHECK(bmw.exposes.empty());
}

TEST_CASE("inventory CSV: every bad row is reported with its line", "[vehicle]") {
    auto inventory = parse("internal_number,location,condition,vin\n"
                           "A1,hamburg,used,\n"
                           ",hamburg,used,\n"
                           "A2,berlin,used,\n"
                           "A3,kiel,broken,\n"
                           "A4,kiel,new,NOTAVIN\n"
                           "A1,kiel,new,\n"
                           "A5,kiel\n");
    std::vector<std::pair<int, std::string>> expected = {
        {3, "internal_number is empty"},
        {4, "unknown location \"berlin\" for dealer mueller"},
        {5, "condition \"broken\" is neither new nor used"},
        {6, "\"NOTAVIN\" is not a VIN (17 letters and digits, no I, O, Q)"},
        {7, "internal_number \"A1\" appears twice"},
        {8, "has 2 fields, the header has 4"}};
    CHECK(inventory.errors == expected);
}

TEST_CASE("inventory CSV: unknown columns and a missing internal_number are refused", "[vehicle]") {
    auto inventory = parse("stock,make,colour\nA1,VW,red\n");
    CHECK(inventory.errors ==
          std::vector<std::pair<int, std::string>>{{1, "unknown column \"stock\""},
                                                   {1, "unknown column \"colour\""},
                                                   {1, "the column internal_number is missing"}});
    CHECK(inventory.vehicles.empty());
}

TEST_CASE("VINs: 17 characters, no I, O or Q", "[vehicle]") {
    CHECK(core::is_valid_vin("WVWZZZ1KZAW000001"));
    CHECK_FALSE(core::is_valid_vin("WVWZZZ1KZAW00000"));
    CHECK_FALSE(core::is_valid_vin("WVWZZZ1KZAW00000O"));
    CHECK_FALSE(core::is_valid_vin("wvwzzz1kzaw000001"));
}
