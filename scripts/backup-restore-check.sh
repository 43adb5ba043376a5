#!/usr/bin/env bash
# Proves that backup.sh + restore.sh bring everything back: on a scratch PostgreSQL database
# it migrates, loads the seed data and a few cases with an attachment, backs up, wipes (drops
# the database, deletes the media folder), restores, and compares every table (row count and a
# checksum of its content) and every file (SHA-256). Exit 0 only when all is identical.
#
#   scripts/backup-restore-check.sh
#
# Environment: PG_BASE_URL (server, default postgres://postgres@127.0.0.1:5432; the role must
# be allowed to create databases), CHECK_DB (default layanan_backup_check; dropped and created —
# never point this at a real database), KEEP=1 keeps the scratch folder for inspection.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${PYTHON:-$here/.venv/bin/python}"
base="${PG_BASE_URL:-postgres://postgres@127.0.0.1:5432}"
base="${base%/}"
db="${CHECK_DB:-layanan_backup_check}"
case "$db" in layanan_*check*|*_scratch*) ;; *) echo "CHECK_DB must look like a scratch name (layanan_…check…)" >&2; exit 2 ;; esac
maint="${base/#postgres:\/\//postgresql://}/postgres"

work="$(mktemp -d "${TMPDIR:-/tmp}/layanan-backup-check.XXXXXX")"
export DATABASE_URL="$base/$db"
export MEDIA_ROOT="$work/media"
export DEBUG=true
export PGOPTIONS="-c client_min_messages=warning"
export TASKS_BACKEND="django.tasks.backends.immediate.ImmediateBackend"
export NOTIFY_DISPATCH_ON_COMMIT=false
cd "$here"

step() { printf '== %s\n' "$*"; }
recreate_db() {
  psql -q -v ON_ERROR_STOP=1 "$maint" -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" \
    -c "CREATE DATABASE \"$db\""
}
cleanup() {
  psql -q "$maint" -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true
  if [ "${KEEP:-0}" = "1" ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

snapshot() {  # $1 = output prefix
  psql -X -At -v ON_ERROR_STOP=1 "${DATABASE_URL/#postgres:\/\//postgresql://}" <<'SQL' > "$1.tables"
SELECT table_name || ' ' ||
  (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I.%I', table_schema, table_name), false, true, '')))[1]::text
  || ' ' ||
  (xpath('/row/h/text()', query_to_xml(format(
     'SELECT md5(coalesce(string_agg(t::text, %L ORDER BY t::text), %L)) AS h FROM %I.%I t',
     E'\n', '', table_schema, table_name), false, true, '')))[1]::text
FROM information_schema.tables
WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
ORDER BY table_name;
SQL
  (cd "$MEDIA_ROOT" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum) > "$1.files"
}

step "scratch database $db, media $MEDIA_ROOT"
recreate_db
"$python" manage.py migrate --noinput -v 0
"$python" manage.py load_demo --no-users -v 0 >/dev/null
"$python" manage.py shell -v 0 <<'PY'
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled

from layanan.accounts.actors import PUBLIC
from layanan.cases.attachments import attachment_add
from layanan.complaints.services import complaint_create
from layanan.core.models import Unit

unit = Unit.objects.get(slug="biro-kesra")
scopes_off = scopes_disabled()  # the operator's shell: every unit (layanan/core/scoping.py)
scopes_off.__enter__()
for i in range(3):
    case = complaint_create(
        actor=PUBLIC, unit=unit, description=f"Loket kosong ({i}).",
        requester_name=f"Pelapor {i}", requester_email=f"pelapor{i}@example.org",
    )
    attachment_add(case=case, upload=SimpleUploadedFile(
        f"bukti-{i}.pdf", b"%PDF-1.4\n% backup check " + str(i).encode() + b"\n%%EOF\n",
        content_type="application/pdf"), actor=PUBLIC)
print("cases created")
PY
nfiles="$(find "$MEDIA_ROOT" -type f | wc -l)"
[ "$nfiles" -ge 3 ] || { echo "FAIL: expected attachments in $MEDIA_ROOT, found $nfiles" >&2; exit 1; }
snapshot "$work/before"

step "backup"
backup="$(scripts/backup.sh "$work/backups" | tail -n 1)"
echo "$backup"

step "wipe: drop the database, delete the media folder"
psql -q -v ON_ERROR_STOP=1 "$maint" -c "DROP DATABASE \"$db\" WITH (FORCE)"
rm -rf "$MEDIA_ROOT"

step "restore"
psql -q -v ON_ERROR_STOP=1 "$maint" -c "CREATE DATABASE \"$db\""
scripts/restore.sh "$backup"

step "compare"
snapshot "$work/after"
status=0
diff -u "$work/before.tables" "$work/after.tables" || status=1
diff -u "$work/before.files" "$work/after.files" || status=1
tables="$(wc -l < "$work/before.tables")"
if [ "$status" = 0 ]; then
  echo "OK: $tables tables and $nfiles files identical after backup, wipe and restore"
else
  echo "FAIL: the restored data differs (see the diff above)" >&2
fi
exit "$status"
