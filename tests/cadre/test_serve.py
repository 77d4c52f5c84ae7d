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


def _drop_log_handlers():
    import logging
    for name in ("", "streamlit"):
        logger = logging.getLogger(name)
        for handler in list(logger.handlers):
            if getattr(handler, "_cadre_log", False):
                logger.removeHandler(handler)
                handler.close()


def test_the_app_logs_to_a_rotated_file_in_the_data_folder(tmp_path, monkeypatch):
    """The app's log goes to logs/cadre.log beside the store, set up once
    however many page runs ask, and rotated."""
    import logging

    from streamlit.testing.v1 import AppTest
    db = tmp_path / "office" / "cadre.duckdb"
    monkeypatch.setenv("CADRE_DB", str(db))
    _drop_log_handlers()
    try:
        for _ in range(2):
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
            at.run()
        handlers = [h for h in logging.getLogger().handlers if getattr(h, "_cadre_log", False)]
        assert len(handlers) == 1 and handlers[0].maxBytes == serve.LOG_BYTES and handlers[0].backupCount > 0
        log = tmp_path / "office" / "logs" / "cadre.log"
        assert serve.log_file() == log
        assert "cadre started" in log.read_text(encoding="utf-8")
        handlers[0].maxBytes = 2000  # rotation, without writing megabytes
        for i in range(50):
            logging.getLogger("cadre.test").warning("line %d of a long log %s", i, "x" * 80)
        assert (log.parent / "cadre.log.1").exists() and log.stat().st_size <= 2000
    finally:
        _drop_log_handlers()

