"""What sharing the store with the command line costs the app's page loads.

The app no longer holds DuckDB's file lock for its whole life: its handle
(``cadre.store.Store``) opens the file when a page run needs it and closes
it ``LINGER`` seconds after the last query (at most ``MAX_HOLD`` seconds of
continuous use, then it pauses ``YIELD_FOR`` so a waiting command gets in).
This bench measures:

* ``open``: opening and closing the store file (``duckdb.connect`` +
  ``close``), median of 20: the price of one reopen;
* page loads through ``streamlit.testing.v1.AppTest`` (server-side script
  run, no browser), warm reruns (median of ``--runs``), in three modes:
  ``held`` (the handle never lets go: the old behaviour, the lock held for
  the app's life), ``shared`` (the defaults) and ``reopen`` (the file
  closed after every query: the worst case, e.g. runs far apart);
* ``command wait``: how long ``bash scripts/cadre structure`` waits for the
  store while a thread queries it without pause through a shared handle.

    python bench/bench_store.py [--people N --years Y] [--runs 5] [--no-write]

Without ``--people`` the store is the committed demo office. Results go to
bench/results/store.json and are summarised in bench/README.md.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "bench" / "results" / "store.json"
PAGES = ("overview", "distribution", "structure", "data")
MODES = {"held": (1e9, 1e9), "shared": (None, None), "reopen": (0.0, 0.0)}


def _ms(t0: float) -> float:
    return round((time.perf_counter() - t0) * 1000, 1)


def build(folder: Path, people: int | None, years: int | None) -> Path:
    from cadre import batches, demo, store
    db = folder / "store.duckdb"
    con = store.connect(db)
    if people:
        paths = demo.write_files(folder / "files", people=people, years=years)
        result = batches.ingest(con, [batches.file_entry(p) for p in paths if p.suffix == ".csv"])
        assert result.ok, [p.as_dict("en") for p in result.upload.problems[:3]]
    else:
        batches.ensure_demo(con)
    con.close()
    return db


def open_cost(db: Path, n: int = 20) -> float:
    import duckdb
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        duckdb.connect(str(db)).close()
        times.append(_ms(t0))
    return statistics.median(times)


def page_loads(db: Path, runs: int) -> dict:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from cadre import store
    from cadre.ui import frame

    frame._enter_router_if_outside = lambda: None  # AppTest runs page files directly
    os.environ["CADRE_DB"] = str(db)
    out = {}
    for mode, (linger, max_hold) in MODES.items():
        store.Store.LINGER = 5.0 if linger is None else linger
        store.Store.MAX_HOLD = 3.0 if max_hold is None else max_hold
        st.cache_resource.clear()  # a new handle with this mode's timings
        st.cache_data.clear()
        row = {}
        for page in PAGES:
            at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=600)
            at.run()  # fill the caches: warm reruns are what a meeting sees
            assert not at.exception, [str(e.value)[:200] for e in at.exception]
            times = []
            for _ in range(runs):
                t0 = time.perf_counter()
                at.run()
                times.append(_ms(t0))
            handle = frame.connection()
            row[page] = {"warm_ms": statistics.median(times), "opens_so_far": handle.opens}
        out[mode] = row
        print(f"  {mode:7s} " + "  ".join(f"{p} {v['warm_ms']} ms" for p, v in row.items()), flush=True)
        frame.connection().close()
    store.Store.LINGER, store.Store.MAX_HOLD = 5.0, 3.0
    return out


def command_wait(db: Path) -> dict:
    """A command against a store the app queries without pause."""
    from cadre import store
    handle = store.Store(db)
    stop = threading.Event()

    def clicking():
        while not stop.is_set():
            store.query(handle, "store_table_counts")

    worker = threading.Thread(target=clicking)
    worker.start()
    try:
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "cadre", "structure", "--json", "--wait", "120",
                               "--db", str(db)], cwd=ROOT, capture_output=True, text=True)
        total = _ms(t0)
    finally:
        stop.set()
        worker.join()
        handle.close()
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "cadre", "structure", "--json", "--db", str(db)], cwd=ROOT,
                   capture_output=True, text=True)
    alone = _ms(t0)
    return {"exit": proc.returncode, "with_busy_app_ms": total, "alone_ms": alone}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    import duckdb
    import pandas
    import streamlit
    with tempfile.TemporaryDirectory(prefix="cadre-bench-store-") as tmp:
        db = build(Path(tmp), args.people, args.years)
        result = {
            "date": dt.date.today().isoformat(),
            "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, Python "
                       f"{platform.python_version()}, DuckDB {duckdb.__version__}, pandas {pandas.__version__}, "
                       f"Streamlit {streamlit.__version__}",
            "store": {"people": args.people or "demo office", "years": args.years if args.people else None,
                      "bytes": db.stat().st_size},
            "open_ms": open_cost(db),
        }
        print(f"open+close: {result['open_ms']} ms", flush=True)
        result["pages"] = page_loads(db, args.runs)
        result["command_wait"] = command_wait(db)
        print(f"command wait: {result['command_wait']}", flush=True)
    if not args.no_write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        runs = json.loads(RESULTS.read_text()) if RESULTS.is_file() else []
        runs.append(result)
        RESULTS.write_text(json.dumps(runs, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
