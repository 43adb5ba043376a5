#!/usr/bin/env bash
# Back up Layanan: the PostgreSQL database (pg_dump custom format) and MEDIA_ROOT (attachments
# in MEDIA_ROOT/private), into a new dated directory with SHA-256 checksums.
#
#   scripts/backup.sh [BACKUP_ROOT]        # prints the directory it wrote, e.g.
#                                          # /var/backups/layanan/2026-11-23T020000
#
# Environment: DATABASE_URL (postgres://…, as for the app), MEDIA_ROOT (default: var/media of
# the project), BACKUP_ROOT (default /var/backups/layanan), BACKUP_KEEP_DAYS (delete backup
# directories older than this many days after a successful backup; default: keep all).
# The dump is consistent (one snapshot) while the app keeps running; an attachment uploaded
# during the backup may be in the files but not in the database, which is harmless.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="${1:-${BACKUP_ROOT:-/var/backups/layanan}}"
media="${MEDIA_ROOT:-$here/var/media}"
: "${DATABASE_URL:?DATABASE_URL must point at the PostgreSQL database (postgres://…)}"
case "$DATABASE_URL" in
  postgres://*|postgresql://*) ;;
  *) echo "backup.sh: DATABASE_URL is not PostgreSQL; back up the SQLite file by copying it" >&2; exit 2 ;;
esac
# libpq understands postgresql:// URIs; dj-database-url's postgres:// is the same.
dburl="${DATABASE_URL/#postgres:\/\//postgresql://}"

stamp="$(date +%Y-%m-%dT%H%M%S)"
dest="$root/$stamp"
mkdir -p "$dest.partial"
umask 077

pg_dump --format=custom --no-owner --no-privileges --dbname="$dburl" --file="$dest.partial/database.dump"
if [ -d "$media" ]; then
  tar -C "$media" -czf "$dest.partial/media.tar.gz" .
else
  tar -czf "$dest.partial/media.tar.gz" --files-from /dev/null
fi
(
  cd "$dest.partial"
  sha256sum database.dump media.tar.gz > SHA256SUMS
  {
    echo "created=$stamp"
    echo "host=$(hostname)"
    echo "pg_dump=$(pg_dump --version)"
    if git -C "$here" rev-parse HEAD >/dev/null 2>&1; then echo "commit=$(git -C "$here" rev-parse HEAD)"; fi
  } > INFO
)
# Only a complete backup gets its final name.
mv "$dest.partial" "$dest"

if [ -n "${BACKUP_KEEP_DAYS:-}" ]; then
  find "$root" -mindepth 1 -maxdepth 1 -type d -name '20*' -mtime "+$BACKUP_KEEP_DAYS" \
    ! -name '*.partial' -exec rm -rf {} +
fi
echo "$dest"
