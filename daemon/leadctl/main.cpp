#include "cli.hpp"

#include <iostream>

int main(int argc, char** argv) {
    return lr::ctl::run_leadctl({argv + 1, argv + argc}, std::cout, std::cerr);
}
