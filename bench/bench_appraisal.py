"""Benchmark of the appraisal meeting at a city's scale (10,000 people, 10 years).

Over the city store of ``bench_pages.py`` (built once, cached), on a copy:
``start`` (a session for the latest annual period), ``state`` (the board,
guides, commendations; cold with the stability band, then as the page
reruns with its shared scorer and cached band), one ``move``,
``commend``, ``undo``, the 公示 XLSX, the record XLSX, and ``close`` (the
batch with the period's rows). First call and, where repeated, the median.

    python bench/bench_appraisal.py [--people 10000 --years 10] [--no-write]

Results go to bench/results/appraisal.json.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def _ms(t0: float) -> float:
    return round((time.perf_counter() - t0) * 1000, 1)


def _timed(fn, runs: int = 1):
    times, out = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        out = fn()
        times.append(_ms(t0))
    return out, {"first_ms": times[0], "median_ms": statistics.median(times), "runs": runs}


def main(argv=None) -> int:
    from bench_pages import build_store

    from cadre import access, store
    from cadre.assessment.runner import list_periods
    from cadre.assessment.scorer import Scorer
    from cadre.appraisal import exports, session

    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=10_000)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--cache-dir", type=Path, default=Path(tempfile.gettempdir()) / "cadre_bench_pages")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)
    cached, build = build_store(args.people, args.years, args.cache_dir, False)
    work = Path(tempfile.mkdtemp(prefix="cadre-bench-appraisal-"))
    db = work / "store.duckdb"
    shutil.copy(cached, db)
    con = store.connect(db)
    periods = list_periods(con)
    period = periods[periods["period_kind"] == "annual"]["period"].iloc[-1]
    user = access.User("bench", "admin")
    results = {}
    _, results["start"] = _timed(lambda: session.start(con, store.get_settings(con), period, user))
    st, results["state_with_band"] = _timed(lambda: session.state(con, store.get_settings(con), period), 3)
    settings = store.get_settings(con)
    stab = session.stability_for(con, settings, period)
    scorer = Scorer(con, settings)          # as the page shares one per data version
    _, results["state_page"] = _timed(lambda: session.state(con, settings, period, scorer=scorer,
                                                            stability=stab), 3)
    people = st.board.people
    pid = people[people["grade"] != st.board.top]["person_id"].iloc[0]
    _, results["move_page"] = _timed(lambda: session.move(con, settings, period, pid, st.board.top, "bench", user, scorer=scorer))
    _, results["commend"] = _timed(lambda: session.commend(con, store.get_settings(con), period, "individual", pid, True, "bench", user))
    _, results["undo"] = _timed(lambda: session.undo(con, period, user))
    st = session.state(con, settings, period, scorer=scorer, stability=stab)
    _, results["notice_xlsx"] = _timed(lambda: exports.notice_xlsx(store.get_settings(con), st))
    _, results["record_xlsx"] = _timed(lambda: exports.record_xlsx(st))
    _, results["close_page"] = _timed(lambda: session.close(con, store.get_settings(con), period, user, scorer=scorer))
    con.close()
    shutil.rmtree(work, ignore_errors=True)
    record = {"people": args.people, "years": args.years, "period": period, "assessed": int(len(people)),
              "load_average": list(__import__("os").getloadavg()), "build": build, "results": results}
    print(json.dumps(record, indent=1, ensure_ascii=False))
    if not args.no_write:
        out = ROOT / "bench" / "results" / "appraisal.json"
        out.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
