#!/usr/bin/env bash
# The main job (see README): builds leadrouter, starts a private PostgreSQL,
# applies the schema, checks the example configuration, imports the
# example inventory and prints the users overview. Stops what it started.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

bash scripts/install-deps.sh
cmake -S . -B build/demo -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLEADROUTER_TESTS=OFF >/dev/null
cmake --build build/demo -j"$(nproc)" >/dev/null
leadctl=$root/build/demo/daemon/leadctl
config=$root/conf/leadrouter.yaml

source scripts/lib/private-pg.sh
trap pg_private_stop EXIT
pg_private_start
pg_as_server_user "$PG_BIN/createdb" -h "$PG_DIR" -U postgres leadrouter
db="$PG_CONNINFO_BASE dbname=leadrouter"

if [ -t 1 ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold= plain=; fi
step() { printf '\n%s$ %s%s\n' "$bold" "${*/#$root\//}" "$plain"; "$@"; }

echo "leadrouter demo: private PostgreSQL at $PG_DIR"
step "$leadctl" migrate --database "$db"
step "$leadctl" migrate --database "$db"
step "$leadctl" check --config "$config"
step "$leadctl" vehicles import --config "$config" --database "$db" --dealer mueller \
    fixtures/vehicles/mueller.csv
echo
echo "(a broken configuration, for comparison; exit code 1 is expected)"
step "$leadctl" check --config fixtures/config/broken/many-errors.yaml || true
step "$leadctl" users --config "$config" --database "$db" --dealer mueller
