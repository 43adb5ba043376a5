#!/usr/bin/env bash
# Installs the Debian packages Layanan needs when they are missing: gettext (compiling the
# translations), the Pango stack WeasyPrint renders PDFs with, DejaVu fonts, and — for the test
# suite only (--with-browser) — chromium, which the browser tests drive through Playwright, and
# dovecot's IMAP server, which the intake tests start on loopback with a throw-away config, and
# poppler's pdftotext, with which tests read the PDFs the app renders.
set -eu
need=()
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
if [ "${1:-}" = "--with-browser" ]; then
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  [ -x /usr/sbin/dovecot ] || need+=(dovecot-imapd)
  command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
fi
ldconfig -p 2>/dev/null | grep -q libpango-1.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
[ -d /usr/share/fonts/truetype/dejavu ] || need+=(fonts-dejavu-core)
[ ${#need[@]} -eq 0 ] && exit 0
echo "Installing system packages: ${need[*]}"
if [ "$(id -u)" != 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "Missing system packages: ${need[*]}. Install them (apt-get install ${need[*]}) and retry." >&2
    exit 1
  fi
  SUDO=sudo
else
  SUDO=
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
