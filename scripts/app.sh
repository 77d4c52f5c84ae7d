#!/usr/bin/env bash
# Run the app. On a new store it opens on the demo office.
# It listens on localhost only (.streamlit/config.toml); to serve an office
# network see the README ("Serving an office network").
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
PY="${PYTHON:-python3}"
# Streamlit reads server.maxUploadSize only at start: take it from the
# office's upload limit setting (default 50 MB). Arguments given to this
# script come after, so they can still override it.
LIMIT=$("$PY" -m cadre.serve upload-limit 2>/dev/null || echo 50)
exec "$PY" -m streamlit run app.py --server.maxUploadSize "$LIMIT" "$@"
