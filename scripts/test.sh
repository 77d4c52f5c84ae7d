#!/usr/bin/env bash
# Run every test: unit, store, CLI, page (AppTest) and browser (Playwright in
# Debian's Chromium), from the project's virtual environment with the test
# packages (made by setup.sh --test). pytest arguments pass through.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
export BROWSER_PATH=${BROWSER_PATH:-/usr/bin/chromium}
# Two workers (this machine's cores; CADRE_TEST_WORKERS to change, 0 for
# one process): the interactive browser tests one after another on one
# worker, the browser tests that only read pages on the other, then every
# other test file as a whole on either (groups and their order set in
# tests/conftest.py; --no-loadscope-reorder keeps that order), so a file's
# module-scoped fixtures stay with its tests; each worker has its own tmp
# dirs, ports and Chromium. The slowest tests are listed at the end,
# so a run that grows past its 15 minutes shows where.
exec .venv/bin/python -m pytest -q -p no:cacheprovider -n "${CADRE_TEST_WORKERS:-2}" --dist loadgroup --no-loadscope-reorder \
    --durations=30 --durations-min=5 "$@"
