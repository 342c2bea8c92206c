# Every dependency is a Debian 12 package; scripts/install-deps.sh installs them.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(date REQUIRED)
find_package(PostgreSQL REQUIRED)
if(LEADROUTER_TESTS)
    find_package(Catch2 2.13 REQUIRED)
endif()
