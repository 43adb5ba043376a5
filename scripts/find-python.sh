#!/usr/bin/env bash
# Prints the path of a Python >= 3.12 interpreter, or explains what to install and fails.
# Order: $PYTHON, python3.13/python3.12 on PATH, pyenv versions, python3.
set -u
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }
cands=()
[ -n "${PYTHON:-}" ] && cands+=("$PYTHON")
for n in python3.14 python3.13 python3.12; do command -v "$n" >/dev/null 2>&1 && cands+=("$(command -v "$n")"); done
for d in $(ls -d "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[2-9]* /root/.pyenv/versions/3.1[2-9]* \
    /usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9] 2>/dev/null | sort -Vru); do
  [ -x "$d/bin/python" ] && cands+=("$d/bin/python")
  [ -x "$d" ] && [ -f "$d" ] && cands+=("$d")
done
command -v python3 >/dev/null 2>&1 && cands+=("$(command -v python3)")
for c in "${cands[@]}"; do
  if ok "$c"; then echo "$c"; exit 0; fi
done
cat >&2 <<'MSG'
Layanan needs Python 3.12 or newer (Django 6.1 requires it) and none was found.
Install one, for example:
  - Debian/Ubuntu:   apt-get install python3.12 python3.12-venv   (or a newer release)
  - pyenv:           pyenv install 3.13
then run the command again, or point to it explicitly:  make run PYTHON=/path/to/python3.12
MSG
exit 1
