#!/usr/bin/env bash
# The whole test suite, as CI runs it (see README): installs what it needs,
# fuzzes the classifier for a minute (clang, libFuzzer), builds twice with
# -Werror (ASan+UBSan, then optimised), runs every test in both builds.
# Each run starts and stops its own PostgreSQL cluster and Postfix instances.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

bash scripts/install-deps.sh

jobs=$(nproc)
build() { # build DIR CMAKE_ARGS...
    local dir=$1
    shift
    cmake -S . -B "$dir" -DLEADROUTER_WERROR=ON "$@" >/dev/null
    cmake --build "$dir" -j"$jobs"
}

echo "== fuzzing: the classifier (60 s, seeded from fixtures/mail) and the API request layer (30 s)"
CC=clang CXX=clang++ cmake -S . -B build/fuzz -DLEADROUTER_WERROR=ON -DLEADROUTER_FUZZ=ON \
    -DLEADROUTER_TESTS=OFF -DLEADROUTER_FUZZ_SECONDS=60 -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build/fuzz -j"$jobs" --target classify_fuzzer api_request_fuzzer
(cd build/fuzz && ctest --output-on-failure --timeout 300)

echo "== sanitizer build (ASan + UBSan)"
build build/asan -DCMAKE_BUILD_TYPE=Debug -DLEADROUTER_SANITIZE=ON
(cd build/asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
    LSAN_OPTIONS=suppressions=$root/tests/lsan.supp:print_suppressions=0 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --output-on-failure --timeout 300 -j"$jobs")

echo "== release build"
build build/release -DCMAKE_BUILD_TYPE=RelWithDebInfo
(cd build/release && ctest --output-on-failure --timeout 300 -j"$jobs")
