#!/usr/bin/env bash
# Restore a folder written by scripts/backup.sh into an EMPTY database and an empty media folder.
#   scripts/restore.sh BACKUP_FOLDER
#   DATABASE_URL  the empty target database (create it first: createdb, or CREATE DATABASE)
#   MEDIA_ROOT    where the media files go (must not exist or be empty)   default ./media
#   PGBIN         folder of pg_restore (default: /usr/lib/postgresql/15/bin if present, else PATH)
# Refuses to touch a database that already has tables or a media folder with files in it.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
if [ $# -ne 1 ] || [ ! -d "$1" ]; then
  echo "Usage: scripts/restore.sh BACKUP_FOLDER   (a folder written by scripts/backup.sh)" >&2
  exit 2
fi
SOURCE="$(cd "$1" && pwd)"
: "${DATABASE_URL:?DATABASE_URL must name the empty database to restore into}"
MEDIA_ROOT="${MEDIA_ROOT:-$ROOT/media}"
if [ -z "${PGBIN:-}" ] && [ -x /usr/lib/postgresql/15/bin/pg_restore ]; then
  PGBIN=/usr/lib/postgresql/15/bin
fi
PG_RESTORE="${PGBIN:+$PGBIN/}pg_restore"
PSQL="${PGBIN:+$PGBIN/}psql"

(cd "$SOURCE" && sha256sum --check --quiet SHA256SUMS) || {
  echo "restore.sh: $SOURCE does not match its SHA256SUMS; not restoring." >&2
  exit 1
}

tables="$("$PSQL" --dbname="$DATABASE_URL" --no-psqlrc --tuples-only --no-align --command \
  "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")"
if [ "$tables" != "0" ]; then
  echo "restore.sh: the target database already has $tables tables; restore into an empty one." >&2
  exit 1
fi
if [ -d "$MEDIA_ROOT" ] && [ -n "$(ls -A "$MEDIA_ROOT")" ]; then
  echo "restore.sh: $MEDIA_ROOT is not empty; restore the media into an empty folder." >&2
  exit 1
fi

# All or nothing: a failed restore leaves the database empty.
"$PG_RESTORE" --dbname="$DATABASE_URL" --no-owner --no-acl --single-transaction --exit-on-error \
  "$SOURCE/database.dump"
mkdir -p "$MEDIA_ROOT"
tar -xzf "$SOURCE/media.tar.gz" -C "$MEDIA_ROOT"
echo "Restored $SOURCE into the database and $MEDIA_ROOT."
