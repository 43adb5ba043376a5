#!/usr/bin/env bash
# Checks exactly what is staged, in a clean worktree of HEAD, before you commit — so that work
# in progress by others in the same tree neither hides nor causes a failure.
#   1. applies `git diff --cached` to a fresh worktree of HEAD;
#   2. regenerates the translation catalogues there (strings of unstaged code drop out);
#   3. runs ruff check/format, makemigrations --check, the suite on SQLite and PostgreSQL;
#   4. on success, stages the regenerated .po files. Then run `git commit`.
# Usage: [PO_FILL_DIR=/tmp/po] scripts/check-staged.sh [--no-postgres]
set -euo pipefail
root=$(git rev-parse --show-toplevel)
py="$root/.venv/bin/python"
wt=$(mktemp -d /tmp/layanan-check.XXXXXX)
cleanup() { git -C "$root" worktree remove --force "$wt" >/dev/null 2>&1 || rm -rf "$wt"; }
trap cleanup EXIT
git -C "$root" worktree add -q --detach "$wt" HEAD
git -C "$root" diff --cached --binary | (cd "$wt" && git apply --allow-empty)
cd "$wt"
ignores=(--ignore=.venv --ignore=.tools --ignore=staticfiles --ignore=tests --ignore=var --ignore=bench)
"$py" manage.py makemessages -l id -l en "${ignores[@]}" --no-obsolete -v 0
# Translations carried beside the work as JSON (scripts/po-fill.py), e.g. PO_FILL_DIR=/tmp/po
if [ -n "${PO_FILL_DIR:-}" ]; then "$py" scripts/po-fill.py --no-makemessages "$PO_FILL_DIR" || true; fi
"$py" manage.py compilemessages --ignore=.venv --ignore=.tools -v 0
"$py" -m ruff check . -q
"$py" -m ruff format --check . -q
"$py" manage.py makemigrations --check --dry-run -v 0
"$py" -m pytest tests -q -p no:cacheprovider -x
if [ "${1:-}" != "--no-postgres" ]; then
  DATABASE_URL="postgres://postgres@127.0.0.1:5432/layanan_check_$$" \
    "$py" -m pytest tests -q -p no:cacheprovider -x
fi
for po in locale/*/LC_MESSAGES/django.po; do
  blob=$(git -C "$root" hash-object -w "$wt/$po")
  git -C "$root" update-index --add --cacheinfo "100644,$blob,$po"
done
echo "check-staged: OK — the staged change passes; commit it now."
