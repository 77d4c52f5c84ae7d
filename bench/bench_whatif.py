"""Benchmark of the what-if machinery (cadre.scoring).

Synthetic annual periods of 70, 10,000 and 100,000 people × 4 sources (about
a fifth of the non-performance sources missing, some per-person maxima).
Times, for each size:

* ``build``: ScoreCube construction from the rows (once per period/filter);
* ``evaluate``: ScoreCube.evaluate with new weights (median of many runs) —
  what a slider move costs;
* ``stability``: stability() with 300 samples;
* ``scored``: scoring.scored (composites, ranks, grades of every period) over
  a city's 10 years (10,000 people × 50 annual and quarterly periods);
* ``duckdb``: the same core (composite, rank, grade) in plain DuckDB SQL
  (bench/whatif_core.sql) on an in-memory table, fetched to NumPy.

The SQL result is checked against ScoreCube.evaluate before timing.

    python bench/bench_whatif.py [--sizes 70,10000,100000] [--no-write]

Writes bench/results/whatif.json and prints a table.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cadre import scoring  # noqa: E402
from cadre.settings import SOURCES, defaults  # noqa: E402

SQL = (Path(__file__).parent / "whatif_core.sql").read_text(encoding="utf-8")
DIM_W = {"德": 0.15, "能": 0.25, "勤": 0.2, "绩": 0.4}
SRC_W = {"实绩考核": 0.5, "民主评议": 0.2, "主任室考评": 0.2, "科室自评": 0.1}
QUOTA = 0.2


def synthetic_rows(n: int, seed: int = 0) -> pd.DataFrame:
    """One annual period, n people × up to 4 sources, realistic-ish scores."""
    rng = np.random.default_rng(seed)
    maxima = np.array([20.0, 20.0, 20.0, 40.0])
    pid = np.repeat(np.char.add("P", np.char.zfill(np.arange(n).astype(str), 6)), 4)
    src = np.tile(np.array(SOURCES, dtype=object), n)
    keep = rng.random(4 * n) > 0.2
    keep[::4] = True  # everyone has 实绩考核
    ability = np.repeat(rng.normal(0.82, 0.07, n), 4)[:, None]
    ratio = np.clip(ability + rng.normal(0, 0.04, (4 * n, 4)), 0.3, 1.0)
    own = np.where(rng.random((4 * n, 4)) < 0.05, np.array([18.0, 22.0, 20.0, 40.0]), np.nan)
    scores = np.round(ratio * np.where(np.isnan(own), maxima, own), 1)
    df = pd.DataFrame({
        "person_id": pid, "period": "1999", "period_kind": "annual", "source": src,
        "de": scores[:, 0], "neng": scores[:, 1], "qin": scores[:, 2], "ji": scores[:, 3],
        "max_de": own[:, 0], "max_neng": own[:, 1], "max_qin": own[:, 2], "max_ji": own[:, 3],
        "grade": None, "section": np.repeat([f"S{i % 40:02d}" for i in range(n)], 4),
    })
    return df[keep].reset_index(drop=True)


def timed(fn, runs: int) -> tuple[float, object]:
    """Median wall time in ms over ``runs`` calls (after one warm-up) and the last result."""
    out = fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), out


def sql_params(settings: dict) -> dict:
    w = scoring.normalise_weights(DIM_W)
    m = settings["maxima"]
    g = settings["annual_grades"]
    return {
        "max_de": m["德"], "max_neng": m["能"], "max_qin": m["勤"], "max_ji": m["绩"],
        "w_de": w["德"], "w_neng": w["能"], "w_qin": w["勤"], "w_ji": w["绩"],
        "v_perf": SRC_W["实绩考核"], "v_peer": SRC_W["民主评议"], "v_dir": SRC_W["主任室考评"],
        "v_self": SRC_W["科室自评"], "quota": QUOTA, "top_floor": g["top_floor"],
        "basic_floor": g["basic_floor"], "competent_floor": g["competent_floor"],
    }


def bench_size(n: int, settings: dict) -> dict:
    rows = synthetic_rows(n)
    runs = 200 if n <= 10_000 else 30
    build_ms, cube = timed(lambda: scoring.ScoreCube(rows, settings), 3 if n > 10_000 else 10)
    eval_ms, ev = timed(lambda: cube.evaluate(DIM_W, SRC_W, QUOTA), runs)
    stab_ms, _ = timed(lambda: scoring.stability(cube, DIM_W, SRC_W, samples=300), 1 if n > 10_000 else 3)

    con = duckdb.connect(":memory:")
    con.register("rows_df", rows)
    con.execute("create table bench_assessments as select * from rows_df")
    con.unregister("rows_df")
    params = sql_params(settings)
    sql_ms, res = timed(lambda: con.execute(SQL, params).fetchnumpy(), 30 if n <= 10_000 else 10)
    con.close()
    # the SQL core must agree with the module
    assert list(res["person_id"]) == list(cube.person_ids)
    np.testing.assert_allclose(res["composite"], ev.composite, rtol=0, atol=1e-9)
    assert list(res["rank"]) == list(ev.rank)
    assert list(res["grade"]) == list(ev.grade)
    return {
        "people": n, "rows": int(len(rows)), "build_ms": round(build_ms, 2),
        "evaluate_ms": round(eval_ms, 3), "evaluate_runs": runs,
        "stability_300_ms": round(stab_ms, 1), "duckdb_sql_ms": round(sql_ms, 2),
    }


def bench_city(settings: dict) -> dict:
    """scored() over 10 years × (1 annual + 4 quarterly) periods of 10,000 people."""
    base = synthetic_rows(10_000)
    frames = []
    for y in range(1995, 2005):
        for p in [str(y)] + [f"{y}Q{q}" for q in range(1, 5)]:
            f = base.copy()
            f["period"] = p
            f["period_kind"] = scoring.period_kind_of(p)
            frames.append(f)
    rows = pd.concat(frames, ignore_index=True)
    ms, out = timed(lambda: scoring.scored(rows, settings), 3)
    return {"people": 10_000, "periods": 50, "rows": int(len(rows)), "person_periods": int(len(out)),
            "scored_ms": round(ms, 1)}


def machine() -> dict:
    return {
        "platform": platform.platform(), "processor": platform.processor() or platform.machine(),
        "cores": os.cpu_count(), "python": platform.python_version(), "numpy": np.__version__,
        "pandas": pd.__version__, "duckdb": duckdb.__version__,
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="70,10000,100000")
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--no-city", action="store_true", help="skip the 10-year scored() timing")
    args = ap.parse_args(argv)
    settings = defaults()
    results = [bench_size(int(s), settings) for s in args.sizes.split(",")]
    header = f"{'people':>8} {'rows':>8} {'build ms':>9} {'evaluate ms':>12} {'stability300 ms':>16} {'duckdb ms':>10}"
    print(header)
    for r in results:
        print(f"{r['people']:>8} {r['rows']:>8} {r['build_ms']:>9.2f} {r['evaluate_ms']:>12.3f} "
              f"{r['stability_300_ms']:>16.1f} {r['duckdb_sql_ms']:>10.2f}")
    report = {"date": dt.date.today().isoformat(), "machine": machine(), "results": results,
              "target": "evaluate < 50 ms at 10,000 people"}
    if not args.no_city:
        city = bench_city(settings)
        report["scored_city"] = city
        print(f"scored(): {city['rows']} rows, {city['person_periods']} person-periods "
              f"in {city['scored_ms']:.0f} ms")
    print(json.dumps(report["machine"]))
    if not args.no_write:
        out = Path(__file__).parent / "results" / "whatif.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
