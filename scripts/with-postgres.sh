#!/usr/bin/env bash
# Usage: scripts/with-postgres.sh CMD [ARGS...]
# Runs CMD with a throw-away PostgreSQL cluster: created in a temp dir, listening on
# 127.0.0.1 on a free port, with a database whose URL is exported as
# SHOPPABLE_TEST_DATABASE_URL; stopped and removed when CMD ends (whatever its outcome).
# Example: scripts/with-postgres.sh cargo test -p shoppable-server --test protocol
set -euo pipefail

if [ $# -eq 0 ]; then
    sed -n '2,6s/^# \{0,1\}//p' "$0" >&2
    exit 2
fi

pg_bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[ -x "$pg_bin/initdb" ] || { echo "with-postgres: no PostgreSQL found (set PG_BIN or run scripts/setup.sh)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/shoppable-pg.XXXXXX")
# initdb refuses to run as root: the cluster then belongs to the postgres user.
if [ "$(id -u)" = 0 ]; then
    chown postgres "$work"
    as_owner() { runuser -u postgres -- "$@"; }
else
    as_owner() { "$@"; }
fi

cleanup() {
    as_owner "$pg_bin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

as_owner "$pg_bin/initdb" -D "$work/data" -U shoppable --auth=trust -E UTF8 --no-instructions >"$work/initdb.log" 2>&1 \
    || { cat "$work/initdb.log" >&2; exit 1; }
started=
for _ in 1 2 3 4 5; do
    port=$(free_port)
    # fsync off: the cluster is thrown away, and the tests run faster.
    if as_owner "$pg_bin/pg_ctl" -D "$work/data" -l "$work/server.log" -w -t 30 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $work -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
        start >/dev/null; then
        started=1
        break
    fi
done
[ -n "$started" ] || { echo "with-postgres: the cluster did not start:" >&2; cat "$work/server.log" >&2; exit 1; }
as_owner "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U shoppable shoppable

export SHOPPABLE_TEST_DATABASE_URL="postgres://shoppable@127.0.0.1:$port/shoppable"
echo "with-postgres: $SHOPPABLE_TEST_DATABASE_URL" >&2
"$@"
