"""The server's upload cap sits above the app's upload limit, so a file over
the limit reaches the app's own check (its message, its audit entry) instead
of Streamlit's English refusal in the browser (issue 21.8)."""
from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from cadre import serve, settings, store

ROOT = Path(__file__).resolve().parents[2]


def test_the_shipped_cap_is_above_the_default_limit():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    limit = settings.DEFAULTS["upload_limit_mb"]
    assert config["server"]["maxUploadSize"] == limit * serve.SERVER_CAP_FACTOR > limit


def test_app_sh_takes_the_cap_from_the_offices_setting(tmp_path):
    db = tmp_path / "office.duckdb"
    con = store.connect(db)
    store.put_settings(con, {"upload_limit_mb": 80})
    con.close()
    out = subprocess.run([sys.executable, "-m", "cadre.serve", "server-cap"], cwd=ROOT, capture_output=True,
                         text=True, timeout=120, env={"CADRE_DB": str(db), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0 and out.stdout.strip() == "160"
    assert "server-cap" in (ROOT / "scripts" / "app.sh").read_text(encoding="utf-8")
