#!/usr/bin/env bash
# Run every test: unit, store, CLI, page (AppTest) and browser (Playwright in Debian's Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export BROWSER_PATH=${BROWSER_PATH:-/usr/bin/chromium}
exec "${PYTHON:-python3}" -m pytest -q -p no:cacheprovider "$@"
