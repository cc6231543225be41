#!/usr/bin/env bash
# The production stack on this machine, in one command (`make serve-prod`):
#   PostgreSQL (a throwaway cluster, or DATABASE_URL if you set one) → migrate (with system
#   checks) → collectstatic → seed_demo → gunicorn (config.settings.production, static files
#   by whitenoise) on 127.0.0.1:$PORT + `manage.py db_worker` for the background tasks.
# Ctrl-C or SIGTERM stops every process it started and deletes the temporary folder (and the
# throwaway cluster with it). Nothing listens beyond 127.0.0.1.
#
# Environment: PORT (default 8000), WEB_WORKERS (gunicorn workers, default 2),
# DATABASE_URL (postgres://…: use that database instead of a throwaway cluster; it is
# migrated and seeded with demo data!), SECRET_KEY (default: random per run), PGBIN
# (PostgreSQL 15 binaries), PYTHON (default .venv/bin/python), EMAIL_BACKEND/EMAIL_*
# (default: one file per e-mail in $TMP/mail).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
PORT="${PORT:-8000}"
HOST=127.0.0.1
PGBIN="${PGBIN:-/usr/lib/postgresql/15/bin}"

TMP="$(mktemp -d /tmp/biliktilik-prod.XXXXXX)"
chmod 755 "$TMP"
mkdir -p "$TMP/logs"
PIDS=()
PG_STARTED=""
PG_DATA="$TMP/pg/data"

as_pg() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cleanup() {
  local status=$?
  trap - INT TERM EXIT
  if [ ${#PIDS[@]} -gt 0 ]; then
    echo
    echo "Stopping gunicorn and the worker…"
    kill -TERM "${PIDS[@]}" 2>/dev/null || true
    # gunicorn's graceful stop and the worker's current task get 20 s, then they are killed.
    for _ in $(seq 1 200); do
      [ -z "$(jobs -pr)" ] && break
      sleep 0.1
    done
    # Whatever is left in their process groups (a gunicorn worker whose master died, say).
    for pid in "${PIDS[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
    wait "${PIDS[@]}" 2>/dev/null || true
  fi
  if [ -n "$PG_STARTED" ]; then
    echo "Stopping the throwaway PostgreSQL cluster…"
    as_pg "$PGBIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$TMP"
  echo "Stopped; $TMP removed."
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# -- the database ------------------------------------------------------------------------
if [[ "${DATABASE_URL:-}" == postgres* ]]; then
  echo "Using DATABASE_URL from the environment."
else
  if [ -n "${DATABASE_URL:-}" ]; then
    echo "Ignoring DATABASE_URL=${DATABASE_URL%%:*}:…: production runs on PostgreSQL." >&2
  fi
  if [ ! -x "$PGBIN/initdb" ]; then
    echo "PostgreSQL 15 not found in $PGBIN (Debian: apt-get install postgresql-15)." >&2
    exit 1
  fi
  # The same throwaway cluster as scripts/with-postgres.sh: a Unix socket only, no TCP.
  mkdir -p "$TMP/pg/sock"
  PG_USER="$([ "$(id -u)" = "0" ] && echo postgres || id -un)"
  [ "$(id -u)" = "0" ] && chown -R postgres:postgres "$TMP/pg"
  as_pg "$PGBIN/initdb" -D "$PG_DATA" -U "$PG_USER" -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  PG_STARTED=1
  as_pg "$PGBIN/pg_ctl" -D "$PG_DATA" -w -l "$TMP/pg/server.log" \
    -o "-c listen_addresses='' -c unix_socket_directories=$TMP/pg/sock" start >/dev/null
  as_pg "$PGBIN/createdb" -h "$TMP/pg/sock" -U "$PG_USER" biliktilik
  export DATABASE_URL="postgres://$PG_USER@/biliktilik?host=$TMP/pg/sock"
  echo "PostgreSQL 15 (throwaway) at $TMP/pg/sock"
fi

# -- production settings, from the environment only -------------------------------------
export DJANGO_SETTINGS_MODULE=config.settings.production
# A random key per run, unless the caller brings one (a benchmark that signs sessions itself).
SECRET_KEY="${SECRET_KEY:-$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(64))')}"
export SECRET_KEY
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-$HOST,localhost}"
export WAGTAILADMIN_BASE_URL="${WAGTAILADMIN_BASE_URL:-http://$HOST:$PORT}"
export STATIC_ROOT="$TMP/static" MEDIA_ROOT="$TMP/media"
# No TLS on loopback: no redirect to https. Secure cookies: Chromium and curl send them to
# http://127.0.0.1 (loopback counts as a secure origin), but Python's http.cookiejar (requests,
# locust) and other clients never do over http, so they are off here unless the caller sets
# SESSION_COOKIE_SECURE=1 CSRF_COOKIE_SECURE=1. A real deployment keeps all of them on.
export SECURE_SSL_REDIRECT=0
export SESSION_COOKIE_SECURE="${SESSION_COOKIE_SECURE:-0}" CSRF_COOKIE_SECURE="${CSRF_COOKIE_SECURE:-0}"
# No proxy in front: X-Forwarded-For would be the client's own claim (the load test sets 1 to
# stand for many clients behind one balancer).
export RATELIMIT_TRUST_FORWARDED_FOR="${RATELIMIT_TRUST_FORWARDED_FOR:-0}"
if [ -z "${EMAIL_BACKEND:-}" ]; then
  export EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend
  export EMAIL_FILE_PATH="$TMP/mail"
fi
export LOG_LEVEL="${LOG_LEVEL:-INFO}"

manage() { "$PYTHON" manage.py "$@"; }

echo "== migrate (with system checks)"
manage migrate --noinput
echo "== collectstatic"
manage collectstatic --noinput -v0
echo "== seed_demo"
manage seed_demo | tee "$TMP/logs/seed_demo.txt"

# -- the processes -----------------------------------------------------------------------
echo "== gunicorn on $HOST:$PORT, db_worker"
# Each in its own session (setsid): Ctrl-C reaches this script only, which then stops them in
# order; their process groups are killed at the end so no gunicorn worker is left behind.
# Errors and the worker's task lines come here; the access log goes to a file.
setsid "$PYTHON" -m gunicorn config.wsgi:application \
  --bind "$HOST:$PORT" --workers "${WEB_WORKERS:-2}" --no-control-socket \
  --access-logfile "$TMP/logs/access.log" &
PIDS+=($!)
setsid "$PYTHON" manage.py db_worker --no-reload --interval 1 &
PIDS+=($!)

for _ in $(seq 1 150); do
  if "$PYTHON" - "$HOST" "$PORT" <<'EOF' 2>/dev/null; then
import http.client, sys
conn = http.client.HTTPConnection(sys.argv[1], int(sys.argv[2]), timeout=2)
conn.request("GET", "/healthz")
sys.exit(0 if conn.getresponse().status == 200 else 1)
EOF
    break
  fi
  kill -0 "${PIDS[@]}" 2>/dev/null || {
    echo "A process exited during start-up (its messages are above)." >&2
    exit 1
  }
  sleep 0.2
done

cat <<EOF

Biliktilik (production settings) is serving http://$HOST:$PORT/
  public site  http://$HOST:$PORT/kk/  /ru/  /en/
  back office  http://$HOST:$PORT/admin/
  health       http://$HOST:$PORT/healthz
Demo logins: password biliktilik-demo for admin, manager, hr.akimat, hr.oral, auditor,
  servant, servant2 (servants log in at /<lang>/accounts/login/, staff at /admin/login/).
E-mails:     ${EMAIL_FILE_PATH:-sent with EMAIL_BACKEND=$EMAIL_BACKEND}
Access log:  $TMP/logs/access.log (errors and the worker's tasks print here)
Everything lives in $TMP and is deleted on exit.
Note: plain http on loopback: SESSION_COOKIE_SECURE=$SESSION_COOKIE_SECURE, no https redirect.
Press Ctrl-C to stop.
EOF

# Until Ctrl-C/SIGTERM (the traps above), or until one of the processes dies.
set +e
wait -n "${PIDS[@]}"
status=$?
echo "A process exited (status $status; its messages are above); stopping the rest." >&2
exit 1
