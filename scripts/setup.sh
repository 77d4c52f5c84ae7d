#!/usr/bin/env bash
# Install what the app and its tests need on a fresh Debian machine:
# Debian's Chromium (browser tests, chart pictures), Noto CJK fonts (Chinese
# text in charts and slides), WenQuanYi Zen Hei (printed PDFs), poppler-utils (PDF checks), and the pinned
# Python packages. Safe to run again: it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need_apt+=(fonts-noto-cjk)
# PDFs are printed in a TrueType-outline CJK font (cadre.export.pack.PRINT_FONT):
# Noto CJK's CFF outlines print as Type 3 fonts whose text copies wrongly.
fc-list 2>/dev/null | grep -qi "WenQuanYi Zen Hei" || need_apt+=(fonts-wqy-zenhei)
command -v pdftoppm >/dev/null 2>&1 || need_apt+=(poppler-utils)
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup: installing ${need_apt[*]} with apt-get"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" fontconfig >/dev/null
fi

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c "import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)"; then
  echo "setup: Python 3.11 or newer is needed" >&2
  exit 2
fi
"$PYTHON" -m pip install --disable-pip-version-check -q -r requirements.txt
