#include "leadweb.hpp"

#include <iostream>

int main(int argc, char** argv) {
    return lr::leadweb::run_leadweb({argv + 1, argv + argc}, std::cout, std::cerr);
}
