#include "milter.hpp"

#include <iostream>

int main(int argc, char** argv) {
    return lr::milter::run_leadmilter({argv + 1, argv + argc}, std::cout, std::cerr);
}
