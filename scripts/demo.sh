#!/usr/bin/env bash
# The main job (see README): builds leadrouter, starts a private PostgreSQL,
# applies the schema, checks the example configuration, imports the
# example inventory, lets leadd assign a morning of leads and schedule
# their reminders and escalations, and shows what happened. Stops what it
# started. (The mail path, leadmilter, and the SMTP sender are not built
# yet: the leads are inserted directly and mails stay queued.)
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
echo
echo "(a morning of leads, inserted as leadmilter will store them)"
psql -q -h "$PG_DIR" -U postgres -d leadrouter -f fixtures/sql/demo-leads.sql
step "$root/build/demo/daemon/leadd" --config "$config" --database "$db" --once
step "$leadctl" leads --config "$config" --database "$db" --dealer mueller
step "$leadctl" why --config "$config" --database "$db" --lead 2
step "$leadctl" why --config "$config" --database "$db" --lead 5
step "$leadctl" users --config "$config" --database "$db" --dealer mueller
echo
echo "(the escalation plan of a lead received on a Friday afternoon before Christmas)"
step "$leadctl" plan --config "$config" --dealer mueller --received 2026-12-18T15:00
echo
echo "(queued notices: the outbox sender, issue #5, will send them)"
psql -h "$PG_DIR" -U postgres -d leadrouter -c \
    "SELECT e.lead_id AS lead, e.kind, e.addressee, to_char(e.send_at AT TIME ZONE 'Europe/Berlin', 'Dy DD.MM. HH24:MI') AS send, e.state FROM scheduled_events e ORDER BY e.send_at, e.id"
