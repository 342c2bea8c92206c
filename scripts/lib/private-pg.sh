# Sourced by scripts: a private PostgreSQL 15 cluster in a temporary
# directory, unix socket only, run as the postgres user when we are root.
#   pg_private_start   sets PG_DIR and PG_CONNINFO_BASE ("host=DIR user=postgres")
#   pg_private_stop    stops it and removes the directory
PG_BIN=/usr/lib/postgresql/15/bin

pg_as_server_user() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_private_start() {
    PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/leadrouter-pg-XXXXXX")
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$PG_DIR"
    pg_as_server_user "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 \
        --locale=C.UTF-8 >"$PG_DIR/setup.log" 2>&1 || { cat "$PG_DIR/setup.log"; return 1; }
    pg_as_server_user "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
        -o "-c listen_addresses= -k $PG_DIR" start >>"$PG_DIR/setup.log" 2>&1 ||
        { cat "$PG_DIR/server.log"; return 1; }
    PG_CONNINFO_BASE="host=$PG_DIR user=postgres"
}

pg_private_stop() {
    [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR" ] || return 0
    pg_as_server_user "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
    PG_DIR=
}
