#!/usr/bin/env bash
# Run every test: unit, store, CLI, page (AppTest) and browser (Playwright in
# Debian's Chromium), from the project's virtual environment with the test
# packages (made by setup.sh --test). pytest arguments pass through.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
export BROWSER_PATH=${BROWSER_PATH:-/usr/bin/chromium}
exec .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
