#!/usr/bin/env bash
# Restore a backup written by scripts/backup.sh: checks the checksums, restores the database
# into DATABASE_URL (which must exist: `createdb -O layanan layanan`; existing objects are
# replaced) and replaces MEDIA_ROOT with the backed-up files (the current folder is kept
# beside it as MEDIA_ROOT.before-restore-<time> unless RESTORE_DISCARD_MEDIA=1).
#
#   systemctl stop layanan-web layanan-worker …   # nothing may write during a restore
#   scripts/restore.sh /var/backups/layanan/2026-11-23T020000
#   .venv/bin/python manage.py migrate            # when the code is newer than the backup
#   .venv/bin/python manage.py healthcheck
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="${1:?usage: restore.sh BACKUP_DIRECTORY}"
media="${MEDIA_ROOT:-$here/var/media}"
: "${DATABASE_URL:?DATABASE_URL must point at the PostgreSQL database (postgres://…)}"
dburl="${DATABASE_URL/#postgres:\/\//postgresql://}"

[ -f "$src/SHA256SUMS" ] || { echo "restore.sh: $src is not a backup (no SHA256SUMS)" >&2; exit 2; }
(cd "$src" && sha256sum --check --quiet SHA256SUMS) || {
  echo "restore.sh: checksum mismatch in $src — the backup is damaged, not restoring" >&2; exit 3; }

pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction \
  --exit-on-error --dbname="$dburl" "$src/database.dump"

parent="$(dirname "$media")"
mkdir -p "$parent"
incoming="$(mktemp -d "$parent/.restore.XXXXXX")"
tar -C "$incoming" -xzf "$src/media.tar.gz"
if [ -e "$media" ]; then
  if [ "${RESTORE_DISCARD_MEDIA:-0}" = "1" ]; then
    rm -rf "$media"
  else
    mv "$media" "$media.before-restore-$(date +%Y-%m-%dT%H%M%S)"
  fi
fi
mv "$incoming" "$media"
chmod 750 "$media"
echo "restored $src"
