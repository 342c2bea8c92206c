// pg_test_cluster start|stop STATE_FILE: the CTest fixture around the
// integration tests. start writes the cluster directory into STATE_FILE;
// stop reads it, stops the cluster and removes the directory.
#include "pg_cluster.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: pg_test_cluster start|stop STATE_FILE\n";
        return 2;
    }
    const std::string command = argv[1];
    const std::string state = argv[2];
    try {
        if (command == "start") {
            auto cluster = lr::test::PgCluster::start();
            std::ofstream(state) << cluster.dir() << "\n";
            std::cout << "PostgreSQL test cluster at " << cluster.dir() << "\n";
            cluster.release(); // the stop step owns it from here
            return 0;
        }
        if (command == "stop") {
            std::ifstream in(state);
            std::string dir;
            if (!(in >> dir)) {
                std::cout << "no cluster recorded in " << state << "\n";
                return 0;
            }
            lr::test::PgCluster::adopt(dir).stop();
            std::filesystem::remove(state);
            return 0;
        }
    } catch (const std::exception& e) {
        std::cerr << "pg_test_cluster: " << e.what() << "\n";
        return 1;
    }
    std::cerr << "usage: pg_test_cluster start|stop STATE_FILE\n";
    return 2;
}
