#!/usr/bin/env bash
# Run the app from the project's virtual environment (made by setup.sh).
# On a new store it opens on the demo office. It listens on localhost only
# (.streamlit/config.toml); to serve an office network see the README
# ("Serving an office network"). Streamlit options pass through:
#   bash scripts/app.sh --server.port 8600
#   CADRE_DB=/srv/cadre/office.duckdb bash scripts/app.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Streamlit reads server.maxUploadSize only at start: take it from the
# office's upload limit setting (default 50 MB), twice over, so that a file
# over the limit reaches the app, which refuses it in the user's language.
# Arguments given to this script come after, so they can still override it.
CAP=$(.venv/bin/python -m cadre.serve server-cap 2>/dev/null || echo 100)
exec .venv/bin/python -m streamlit run app.py --server.maxUploadSize "$CAP" "$@"
