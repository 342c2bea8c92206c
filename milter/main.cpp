#include "milter.hpp"

#include <cstdlib>
#include <iostream>

int main(int argc, char** argv) {
    // GLib 2.74's slice allocator keeps caches per thread, and libmilter
    // hands a session's commands to whichever worker thread is free, so the
    // caches are mostly cold; GLib 2.76 and later use malloc anyway. Read by
    // GLib at its first allocation, so before anything else; an
    // administrator's own G_SLICE wins.
    setenv("G_SLICE", "always-malloc", 0);
    return lr::milter::run_leadmilter({argv + 1, argv + argc}, std::cout, std::cerr);
}
