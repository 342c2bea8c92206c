#include "daemon.hpp"

#include <iostream>

int main(int argc, char** argv) {
    return lr::daemon::run_leadd({argv + 1, argv + argc}, std::cout, std::cerr);
}
