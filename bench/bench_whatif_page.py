"""Benchmark of the what-if page's recompute: from a slider change to all the
fragment's data ready.

Two measurements:

* ``service``: the server-side work the fragment does after a slider move,
  on a cached Lab (cadre/whatif.py over cadre/scoring.py): read the scenario
  from the controls, evaluate, the people frame, grade counts, summary and
  the view's own data (movers for the rank view, grade changes, section
  shifts, bonus shares, stability), on synthetic annual periods of 70,
  10,000 and 100,000 people (4 sources). Median of repeated runs.
* ``apptest``: an AppTest-driven slider change on pages/whatif.py through
  app.py (script rerun, widgets, Arrow serialisation of the results; no
  browser), on the demo office (70 people) and on a generated office of
  ``--apptest-people`` (default 10,000; 0 to skip).

    python bench/bench_whatif_page.py [--sizes 70,10000,100000] [--apptest-people 10000] [--no-write]

Results go to bench/results/whatif_page.json.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cadre import settings as settings_mod  # noqa: E402
from cadre.whatif import results as whatif_results
from cadre.whatif.lab import build_lab
from cadre.whatif.results import (
    bonus, grade_changes, grade_counts, movers, section_shifts, stability, stability_samples, summary,
)
from cadre.settings import SOURCES  # noqa: E402
from cadre.ui import whatif_lab  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "whatif_page.json"
SECTIONS = ["秘书一科", "秘书二科", "综合科", "信息科", "督查室", "法制科", "行政科", "接待科", "主任室"]


def synthetic_rows(n: int, seed: int = 7) -> pd.DataFrame:
    """One annual period, n people, 4 sources, a fifth of the non-performance rows missing."""
    rng = np.random.default_rng(seed)
    pid = np.array([f"P{i:06d}" for i in range(n)], dtype=object)
    df = pd.DataFrame({"person_id": np.repeat(pid, 4), "source": np.tile(np.array(SOURCES, dtype=object), n)})
    keep = (df["source"] == SOURCES[0]) | (rng.random(len(df)) > 0.2)
    df = df[keep].reset_index(drop=True)
    ability = np.repeat(rng.normal(0.85, 0.05, n), 4)[keep.to_numpy()]
    for col, m in zip(["de", "neng", "qin", "ji"], [20, 20, 20, 40]):
        df[col] = np.clip(np.round((ability + rng.normal(0, 0.04, len(df))) * m, 1), 0, m)
    for col in ["max_de", "max_neng", "max_qin", "max_ji"]:
        df[col] = np.nan
    df["period"], df["period_kind"] = "1999", "annual"
    df["period_end"] = pd.Timestamp("1999-12-31")
    df["grade"] = None
    sec = rng.choice(np.array(SECTIONS, dtype=object), n)
    df["section"] = sec[pd.factorize(df["person_id"])[0]]
    df["name"] = df["person_id"]
    return df


def _median_ms(fn, runs: int) -> float:
    fn()  # warm
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def service(n: int) -> dict:
    cfg = settings_mod.defaults()
    rows = synthetic_rows(n)
    t0 = time.perf_counter()
    lab = build_lab(rows, cfg, "1999")
    build = (time.perf_counter() - t0) * 1000
    state: dict = {}
    whatif_lab.write_state(state, lab.base_spec)
    runs = 30 if n <= 10_000 else 7
    step = iter(range(10**6))

    def slider_move():
        # the 绩 slider moves; the callback rescales; the fragment recomputes
        state["whatif_w_3"] = 40.0 + (next(step) % 20)
        whatif_lab.on_weight_change(state, "w", 3)
        spec = whatif_lab.read_state(state, cfg, lab.kind)
        spec.to_query()
        ev = lab.evaluate(spec)
        people = whatif_results.people(lab, ev)
        grade_counts(people, lab.kind)
        summary(people, lab.kind)
        return spec, ev, people

    out = {"people": n, "build_ms": round(build, 2), "slider_ranks_view_ms": None}
    out["slider_ranks_view_ms"] = round(_median_ms(lambda: movers(slider_move()[2]), runs), 2)
    out["slider_grades_view_ms"] = round(_median_ms(lambda: grade_changes(slider_move()[2], "annual"), runs), 2)
    out["slider_sections_view_ms"] = round(_median_ms(lambda: section_shifts(slider_move()[2]), runs), 2)

    def bonus_view():
        spec, ev, _p = slider_move()
        bonus(lab, ev, spec)
    out["slider_bonus_view_ms"] = round(_median_ms(bonus_view, runs), 2)

    def stability_view():
        spec, _ev, _p = slider_move()
        stability(lab, spec)
    out["stability_samples"] = stability_samples(n)
    out["slider_stability_view_ms"] = round(_median_ms(stability_view, 3 if n > 10_000 else 5), 1)
    return out


def apptest(db: Path, label: str, n_people: int | None = None) -> dict:
    from streamlit.testing.v1 import AppTest
    os.environ["CADRE_DB"] = str(db)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.run()
    at.switch_page("pages/whatif.py")
    t0 = time.perf_counter()
    at.run()
    first = (time.perf_counter() - t0) * 1000
    assert not at.exception, [e.message for e in at.exception]
    times = []
    for i in range(8):
        t0 = time.perf_counter()
        at.slider(key="whatif_w_3").set_value(45.0 + i).run()
        times.append((time.perf_counter() - t0) * 1000)
        assert not at.exception, [e.message for e in at.exception]
    return {"store": label, "people": n_people, "first_run_ms": round(first, 1),
            "slider_rerun_ms": round(statistics.median(times), 1)}


def _demo_store(tmp: Path, people: int | None) -> Path:
    from cadre import batches, demo, store
    path = tmp / f"demo_{people or 'office'}.duckdb"
    con = store.connect(path)
    if people is None:
        batches.ensure_demo(con)
    else:
        out = tmp / f"files_{people}"
        files = demo.write_files(out, people=people, years=1)
        xlsx = [p for p in files if str(p).endswith(".xlsx")]
        result = batches.ingest(con, [batches.file_entry(Path(xlsx[0]))])
        assert result.ok, [p.message for p in result.upload.problems][:5]
    con.close()
    return path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="70,10000,100000")
    ap.add_argument("--apptest-people", type=int, default=10_000)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    result = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, Python "
                   f"{platform.python_version()}, NumPy {np.__version__}, pandas {pd.__version__}",
        "service": [], "apptest": [],
    }
    for n in sizes:
        r = service(n)
        print(json.dumps(r, ensure_ascii=False), flush=True)
        result["service"].append(r)
    tmp = Path(tempfile.mkdtemp(prefix="bench_whatif_page_"))
    try:
        r = apptest(_demo_store(tmp, None), "demo office")
        print(json.dumps(r, ensure_ascii=False), flush=True)
        result["apptest"].append(r)
        if args.apptest_people:
            r = apptest(_demo_store(tmp, args.apptest_people), "generated, 1 year", args.apptest_people)
            print(json.dumps(r, ensure_ascii=False), flush=True)
            result["apptest"].append(r)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if not args.no_write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
