#!/usr/bin/env bash
# Install what the app (and, with --test, its tests) needs on a fresh Debian
# machine: Debian's Chromium (browser tests, chart pictures), Noto CJK fonts
# (Chinese text in charts and slides), WenQuanYi Zen Hei (printed PDFs),
# poppler-utils (PDF checks), Python's
# venv module, and the pinned Python packages in a project virtual
# environment `.venv` (Debian's system Python is EXTERNALLY-MANAGED: pip
# refuses to install into it, and the app should not touch it anyway).
# Safe to run again: it skips what is already there.
#
#   bash scripts/setup.sh          # runtime packages (requirements.txt)
#   bash scripts/setup.sh --test   # plus test packages (requirements-test.txt)
#
# PYTHON chooses the interpreter the venv is made from (default python3, 3.11+).
set -euo pipefail
cd "$(dirname "$0")/.."

reqs=requirements.txt
[ "${1:-}" = "--test" ] && reqs=requirements-test.txt
PYTHON=${PYTHON:-python3}
VENV=.venv

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
# The font list is read whole before it is searched: `fc-list | grep -q` under
# pipefail fails with 141 whenever grep quits before fc-list has written all,
# which sent about half of the starts to apt-get for fonts already there.
fonts=$(fc-list 2>/dev/null || true)
grep -qi "Noto Sans CJK" <<<"$fonts" || need_apt+=(fonts-noto-cjk)
# PDFs are printed in a TrueType-outline CJK font (cadre.export.pack.PRINT_FONT):
# Noto CJK's CFF outlines print as Type 3 fonts whose text copies wrongly.
grep -qi "WenQuanYi Zen Hei" <<<"$fonts" || need_apt+=(fonts-wqy-zenhei)
command -v pdftoppm >/dev/null 2>&1 || need_apt+=(poppler-utils)
if [ ! -x "$VENV/bin/python" ] && ! "$PYTHON" -c "import ensurepip, venv" >/dev/null 2>&1; then
  need_apt+=(python3-venv)   # Debian ships venv's pip bootstrap separately
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup: installing ${need_apt[*]} with apt-get"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" fontconfig >/dev/null
fi

if ! "$PYTHON" -c "import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)"; then
  echo "setup: Python 3.11 or newer is needed ($PYTHON is older)" >&2
  exit 2
fi
if [ ! -x "$VENV/bin/python" ]; then
  echo "setup: making the virtual environment $VENV"
  "$PYTHON" -m venv "$VENV"
fi

# Install only when the requirements changed since the last install here.
stamp="$VENV/.installed-$(basename "$reqs" .txt)"
digest=$(cat requirements.txt "$reqs" | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$digest" ]; then
  echo "setup: installing $reqs into $VENV"
  "$VENV/bin/python" -m pip install --disable-pip-version-check -q -r "$reqs"
  echo "$digest" > "$stamp"
fi

# The project itself, editable, so that .venv/bin/cadre runs this checkout:
# no dependencies (installed above) and the venv's own setuptools, so this
# never reaches for a registry. scripts/cadre works without it.
if [ ! -x "$VENV/bin/cadre" ]; then
  echo "setup: installing the cadre command into $VENV"
  "$VENV/bin/python" -m pip install --disable-pip-version-check -q --no-deps --no-build-isolation -e . \
    || echo "setup: could not install .venv/bin/cadre (bash scripts/cadre works without it)" >&2
fi
