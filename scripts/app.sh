#!/usr/bin/env bash
# Run the app. On a new store it opens on the demo office.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec "${PYTHON:-python3}" -m streamlit run app.py "$@"
