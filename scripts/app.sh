#!/usr/bin/env bash
# Run the app from the project's virtual environment (made by setup.sh).
# On a new store it opens on the demo office. Streamlit options pass through:
#   bash scripts/app.sh --server.port 8600
#   CADRE_DB=/srv/cadre/office.duckdb bash scripts/app.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m streamlit run app.py "$@"
