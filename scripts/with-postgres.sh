#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL 15 cluster in a temporary folder.
# The cluster is stopped and deleted when the command ends, whether it passed or not.
# Usage: scripts/with-postgres.sh COMMAND [ARGS...]   (DATABASE_URL is set for COMMAND)
set -euo pipefail

PGBIN="${PGBIN:-/usr/lib/postgresql/15/bin}"
if [ ! -x "$PGBIN/initdb" ]; then
  echo "PostgreSQL 15 not found in $PGBIN (Debian: apt-get install postgresql-15)." >&2
  exit 1
fi

TMP="$(mktemp -d /tmp/biliktilik-pg.XXXXXX)"
DATA="$TMP/data"
SOCK="$TMP/sock"
mkdir -p "$SOCK"

as_pg() {
  if [ "$(id -u)" = "0" ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}
PGUSER_NAME="$( [ "$(id -u)" = "0" ] && echo postgres || id -un )"

if [ "$(id -u)" = "0" ]; then
  chown -R postgres:postgres "$TMP"
  chmod 755 "$TMP"
fi

cleanup() {
  as_pg "$PGBIN/pg_ctl" -D "$DATA" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

as_pg "$PGBIN/initdb" -D "$DATA" -U "$PGUSER_NAME" -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$DATA" -w -l "$TMP/server.log" \
  -o "-c listen_addresses='' -c unix_socket_directories=$SOCK -c fsync=off \
      -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null
as_pg "$PGBIN/createdb" -h "$SOCK" -U "$PGUSER_NAME" biliktilik

export DATABASE_URL="postgres://$PGUSER_NAME@/biliktilik?host=$SOCK"
echo "PostgreSQL 15 running at $SOCK"
set +e
"$@"
status=$?
set -e
exit $status
