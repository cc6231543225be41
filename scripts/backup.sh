#!/usr/bin/env bash
# Back up the database (pg_dump, custom format) and the media files into one timestamped folder.
#   DATABASE_URL  the PostgreSQL database (a libpq URL: postgres://user:pw@host:5432/name,
#                 or postgres://user@/name?host=/socket/dir)           required
#   MEDIA_ROOT    uploaded and generated files                         default ./media
#   BACKUP_DIR    where backup folders go                              default ./backups
#   PGBIN         folder of pg_dump (default: /usr/lib/postgresql/15/bin if present, else PATH)
# Result: $BACKUP_DIR/<UTC timestamp>/{database.dump,media.tar.gz,SHA256SUMS}. The folder is
# written as <timestamp>.partial and renamed only when everything succeeded.
# Restore with scripts/restore.sh (docs/deployment.md, "Backups").
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
: "${DATABASE_URL:?DATABASE_URL must name the PostgreSQL database to back up}"
case "$DATABASE_URL" in
  postgres://* | postgresql://*) ;;
  *) echo "backup.sh: DATABASE_URL is not a PostgreSQL URL; only PostgreSQL is backed up." >&2; exit 2 ;;
esac
MEDIA_ROOT="${MEDIA_ROOT:-$ROOT/media}"
BACKUP_DIR="${BACKUP_DIR:-$ROOT/backups}"
if [ -z "${PGBIN:-}" ] && [ -x /usr/lib/postgresql/15/bin/pg_dump ]; then
  PGBIN=/usr/lib/postgresql/15/bin
fi
PG_DUMP="${PGBIN:+$PGBIN/}pg_dump"

STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
TARGET="$BACKUP_DIR/$STAMP"
PARTIAL="$TARGET.partial"
if [ -e "$TARGET" ] || [ -e "$PARTIAL" ]; then
  echo "backup.sh: $TARGET already exists; try again in a second." >&2
  exit 1
fi
mkdir -p "$PARTIAL"
trap 'rm -rf "$PARTIAL"' ERR

# One consistent snapshot of the database (pg_dump runs in a single repeatable-read
# transaction); no owners or grants, so it restores under any role.
"$PG_DUMP" --dbname="$DATABASE_URL" --format=custom --compress=6 --no-owner --no-acl \
  --file="$PARTIAL/database.dump"

# Media after the database: a file referenced by a row in the dump already exists now
# (files are written before the rows that point at them and never rewritten in place).
if [ -d "$MEDIA_ROOT" ]; then
  tar -czf "$PARTIAL/media.tar.gz" -C "$MEDIA_ROOT" .
else
  echo "backup.sh: no media folder at $MEDIA_ROOT; writing an empty media archive." >&2
  EMPTY="$(mktemp -d)"
  tar -czf "$PARTIAL/media.tar.gz" -C "$EMPTY" .
  rmdir "$EMPTY"
fi

(cd "$PARTIAL" && sha256sum database.dump media.tar.gz > SHA256SUMS)
mv "$PARTIAL" "$TARGET"
trap - ERR
echo "Backup written to $TARGET ($(du -sh "$TARGET" | cut -f1))"
