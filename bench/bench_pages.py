"""Benchmark of page loads at a city's scale (10,000 people, 10 years).

Three measurements over one generated office (``cadre.demo.write_files``,
CSVs, loaded with ``cadre.batches.ingest``):

* ``build``: generating the files and ingesting them (once; the store is
  cached under ``--cache-dir`` and reused, with the timings of its build).
* ``pages``: the server-side time of a page load through
  ``streamlit.testing.v1.AppTest`` on ``app.py`` with ``CADRE_DB`` at the
  city store (script run, widgets, Arrow serialisation; no browser, no
  network, no front-end rendering). For every page in ``cadre/ui/nav.py``:
  ``cold`` (all ``st.cache_data`` caches cleared first, as after an upload;
  the page's ``st.cache_resource`` entries are empty on its first visit),
  ``warm`` (median of the reruns that follow) and a ``change`` that misses
  the page's caches: another period in the frame for the assessment pages,
  a person picked on the person page, another date on structure/pipeline.
* ``services``: the service calls behind the pages, without Streamlit,
  so a slow page can be traced to its query: first call and median of
  the repeats (no caching in between, DuckDB's buffers warm).

    python bench/bench_pages.py [--people 10000 --years 10] [--quick] [--no-write]
    python bench/bench_pages.py --skip services --pages sections --after-upload --no-write [--stale-scores]
        (one page, its first view as after an upload; --stale-scores forgets the
        stored scores: the page scores as it did before they were kept)

Results go to bench/results/pages.json and bench/results/pages.md.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RESULTS_JSON = ROOT / "bench" / "results" / "pages.json"
RESULTS_MD = ROOT / "bench" / "results" / "pages.md"
TARGET_MS = 1000.0
CHANGE_WHAT = {
    "overview": "period", "distribution": "period", "sections": "period", "whatif": "period",
    "person": "pick a person", "structure": "date", "pipeline": "date",
}


def _ms(t0: float) -> float:
    return round((time.perf_counter() - t0) * 1000, 1)


# ---------------------------------------------------------------- the store

def build_store(people: int, years: int, cache_dir: Path, rebuild: bool) -> tuple[Path, dict]:
    """The city store (built once and cached) and how long its build took."""
    from cadre import batches, demo, store

    base = cache_dir / f"p{people}_y{years}"
    db, meta_path = base / "store.duckdb", base / "build.json"
    if db.is_file() and meta_path.is_file() and not rebuild:
        meta = json.loads(meta_path.read_text())
        meta["cached"] = True
        return db, meta
    shutil.rmtree(base, ignore_errors=True)
    files_dir = base / "files"
    t0 = time.perf_counter()
    paths = demo.write_files(files_dir, people=people, years=years)
    generate_ms = _ms(t0)
    entries = [batches.file_entry(p) for p in paths if p.suffix == ".csv"]
    tmp_db = base / "store.tmp.duckdb"
    t0 = time.perf_counter()
    con = store.connect(tmp_db)
    result = batches.ingest(con, entries)
    ingest_ms = _ms(t0)
    if not result.ok:
        raise SystemExit(f"the generated office does not load: {[p.as_dict('en') for p in result.upload.problems[:5]]}")
    con.close()
    tmp_db.rename(db)
    meta = {
        "people": people, "years": years,
        "files": {p.name: p.stat().st_size for p in paths if p.suffix == ".csv"},
        "rows": result.loaded, "generate_ms": generate_ms, "ingest_ms": ingest_ms,
        "store_bytes": db.stat().st_size, "built": dt.datetime.now().isoformat(timespec="seconds"),
    }
    meta_path.write_text(json.dumps(meta, indent=1))
    shutil.rmtree(files_dir, ignore_errors=True)  # the CSVs are large; the store is what is reused
    meta["cached"] = False
    return db, meta


# ---------------------------------------------------------- service calls

def _time(fn, runs: int) -> dict:
    t0 = time.perf_counter()
    fn()
    first = _ms(t0)
    reps = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        reps.append(_ms(t0))
    return {"first_ms": first, "median_ms": round(statistics.median(reps), 1) if reps else None}


def _frame_period(con) -> str:
    """The frame's default period: the latest annual one, else the latest."""
    from cadre import store
    from cadre.ui import frame

    return frame._default_period(store.query(con, "frame_periods"))


def services(db: Path, runs: int) -> dict:
    """The service calls behind the pages, timed without Streamlit."""
    from cadre import cadre_views, overview, store, timeline
    from cadre.whatif.lab import load_lab
    from cadre.assessment.distribution import distribution
    from cadre.assessment.profiles import person_profile
    from cadre.assessment.report import period_report
    from cadre.assessment.runner import compared_sections, list_periods
    from cadre.assessment.scorer import score_periods
    from cadre.assessment.search import search_people
    from cadre.assessment.sections import section_comparison

    con = store.connect(db)
    settings = store.get_settings(con)
    periods = list_periods(con)
    period = _frame_period(con)  # the period a page opens on: the frame's default
    ref = timeline.reference_date(con)
    year = ref.year
    people = search_people(con, "")
    pid = people["person_id"].iloc[len(people) // 2]
    all_periods = periods["period"].tolist()
    calls = {}

    def lab_and_evaluate():
        lab = load_lab(con, settings, period)
        lab.evaluate(lab.base_spec)

    lab = load_lab(con, settings, period)
    spec = lab.base_spec
    scored_all = {}

    def score_all():
        scored_all["x"] = score_periods(con, settings, all_periods)

    plan = [
        # page: overview
        ("overview.headline", "overview", lambda: overview.headline(con, store.get_settings(con), period)),
        ("assessment.period_report", "overview (via headline)", lambda: period_report(con, store.get_settings(con), period)),
        ("timeline.movements_summary", "overview, pipeline", lambda: timeline.movements_summary(con, store.get_settings(con), year)),
        # page: distribution, sections
        ("assessment.distribution", "distribution", lambda: distribution(con, settings, period)),
        ("assessment.section_comparison", "sections", lambda: section_comparison(con, settings, period)),
        # page: person
        ("assessment.search_people", "person", lambda: search_people(con, "")),
        ("assessment.score_periods (all periods)", "person", score_all),
        ("assessment.person_profile", "person", lambda: person_profile(con, settings, pid, scored_all.get("x"))),
        # page: whatif
        ("whatif.load_lab + evaluate", "whatif", lab_and_evaluate),
        ("Lab.evaluate", "whatif", lambda: lab.evaluate(spec)),
        # page: structure
        ("cadre_views.date_options", "structure, pipeline", lambda: cadre_views.date_options(con)),
        ("timeline.structure", "structure", lambda: timeline.structure(con, store.get_settings(con))),
        ("cadre_views.structure_tables", "structure", lambda: cadre_views.structure_tables(con, store.get_settings(con), ref, None, False)),
        ("timeline.structure_trend", "structure (trend tab)", lambda: timeline.structure_trend(con, store.get_settings(con))),
        ("cadre_views.structure_trend", "structure (trend tab)", lambda: cadre_views.structure_trend(con, store.get_settings(con), None)),
        # page: pipeline
        ("timeline.eligibility", "pipeline", lambda: timeline.eligibility(con, store.get_settings(con))),
        ("cadre_views.eligibility_table", "pipeline", lambda: cadre_views.eligibility_table(con, store.get_settings(con), ref, None, "zh")),
        ("timeline.succession", "pipeline", lambda: timeline.succession(con, store.get_settings(con), ref, 3.0)),
        ("timeline.rotation_due", "pipeline", lambda: timeline.rotation_due(con, store.get_settings(con), ref)),
        ("timeline.funnel", "pipeline", lambda: timeline.funnel(con, store.get_settings(con), ref)),
        ("timeline.flows", "pipeline", lambda: timeline.flows(con, store.get_settings(con), dt.date(year - 1, 1, 1), dt.date(year - 1, 12, 31))),
        ("timeline.time_in_rank", "pipeline", lambda: timeline.time_in_rank(con, store.get_settings(con))),
        ("timeline.exchange_matrix", "pipeline", lambda: timeline.exchange_matrix(con, store.get_settings(con), dt.date(year - 1, 1, 1), dt.date(year - 1, 12, 31))),
    ]
    for name, page, fn in plan:
        try:
            calls[name] = {"page": page, **_time(fn, runs)}
        except Exception as exc:  # record and go on: a bench reports, it does not stop
            calls[name] = {"page": page, "error": f"{type(exc).__name__}: {exc}"}
        print(f"  {name:42s} {calls[name]}", flush=True)
    out = {"period": period, "reference_date": ref.isoformat(), "person": pid,
           "sections": len(compared_sections(con, settings)), "calls": calls}
    con.close()
    return out


# ------------------------------------------------------------- page loads

def _run(at) -> float:
    t0 = time.perf_counter()
    at.run()
    return _ms(t0)


def _errors(at) -> list[str]:
    return [str(e.value)[:300] for e in at.exception]


def _change(at, key: str, db_periods: list, current_period: str) -> bool:
    """Apply the page's cache-missing change; False when there is none."""
    if key in ("overview", "distribution", "sections", "whatif"):
        others = [p for p in db_periods if p != current_period]
        if not others:
            return False
        at.selectbox(key="frame_period").set_value(others[0])
        return True
    if key == "person":
        at.selectbox(key="person_pick").set_value(_PERSON["id"])
        return True
    if key in ("structure", "pipeline"):
        box = at.selectbox(key=f"{key}_date")
        if len(box.options) < 2:
            return False
        box.set_value(_DATES[f"{key}_date"][1])
        return True
    return False


_PERSON: dict = {}
_DATES: dict = {}


def _run_pages_directly() -> None:
    """Under AppTest, ``switch_page`` runs the page file itself, without
    app.py, with Streamlit's pages-directory flag set. A frame that took
    this for a deep link and forwarded to app.py would land every page on
    the overview, so in this process the frame is told not to forward (the
    frame itself now skips it when ``st.context.url`` is empty); the page
    file runs as under the router (app.py's own work is small). The bench
    checks each page's title, so a wrong page shows up as an error."""
    from cadre.ui import frame

    frame._enter_router_if_outside = lambda: None


def pages(db: Path, warm_runs: int, only: set | None = None, after_upload: bool = False) -> dict:
    """Every page of nav.PAGES (or those keyed in ``only``) loaded through AppTest over the city store.
    ``after_upload``: each page's cold view also starts without the scored
    periods, person states and figures other pages left (as after an upload,
    whose new data version starts them afresh)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from cadre import cadre_views, i18n, store, users
    from cadre.assessment.search import search_people
    from cadre.access import User
    from cadre.ui import session
    from cadre.ui.nav import PAGES

    con = store.connect(db)
    # an office's store asks for sign-in (issue 11): the bench's private copy
    # gets an admin, and the AppTest session is signed in as it
    if users.get(con, "bench") is None:
        users.add(con, "bench", "admin", "bench-password", User("setup", "admin"))
    periods = store.query(con, "frame_periods")  # newest first: the change is to the year before
    people = search_people(con, "")
    _PERSON["id"] = people["person_id"].iloc[len(people) // 2]
    iso = [d.isoformat() for d in cadre_views.date_options(con)]
    _DATES["structure_date"] = _DATES["pipeline_date"] = iso
    con.close()
    annual = periods[periods["period_kind"] == "annual"]["period"].tolist()

    os.environ["CADRE_DB"] = str(db)
    _run_pages_directly()
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.session_state[session.USER_KEY] = User("bench", "admin")
    app_cold = _run(at)
    out = {"app_cold_ms": app_cold, "app_cold_errors": _errors(at), "pages": {}}
    print(f"  app.py first run (connection, frame, overview; caches empty): {app_cold} ms", flush=True)
    for spec in [p for p in PAGES if not only or p.key in only]:
        row: dict = {"file": spec.file}
        st.cache_data.clear()
        if after_upload:
            from cadre.ui import cached
            for resource in (cached._period_cache, cached._state, cached._figure):
                resource.clear()
        at.switch_page(spec.file)
        row["cold_ms"] = _run(at)
        errors = _errors(at)
        want = i18n.t(f"nav.{spec.key}", "zh")
        shown = at.title[0].value if len(at.title) else None
        if shown != want:
            errors.append(f"ran the wrong page: title {shown!r}, expected {want!r}")
        warm = [_run(at) for _ in range(warm_runs)]
        row["warm_ms"] = round(statistics.median(warm), 1)
        row["warm_runs_ms"] = warm
        errors += _errors(at)
        current = at.session_state["_cadre_frame"]["period"] if "_cadre_frame" in at.session_state else None
        try:
            if _change(at, spec.key, annual or periods["period"].tolist(), current):
                row["change"] = CHANGE_WHAT[spec.key]
                row["change_ms"] = _run(at)
                errors += _errors(at)
                row["change_warm_ms"] = _run(at)
                errors += _errors(at)
        except Exception as exc:
            errors.append(f"change: {type(exc).__name__}: {exc}")
        row["errors"] = errors
        # back to the frame's defaults so the next page starts from the same view
        if "_cadre_frame" in at.session_state and current is not None:
            at.session_state["_cadre_frame"]["period"] = current
        out["pages"][spec.key] = row
        print(f"  {spec.key:13s} {row}", flush=True)
    return out


# ------------------------------------------------------------------ report

def _versions() -> dict:
    import duckdb
    import numpy
    import pandas
    import streamlit

    return {"python": platform.python_version(), "streamlit": streamlit.__version__,
            "duckdb": duckdb.__version__, "pandas": pandas.__version__, "numpy": numpy.__version__}


def _fmt(x) -> str:
    if x is None:
        return "—"
    return f"{x:,.0f}" if x >= 100 else f"{x:,.1f}"


def markdown(record: dict) -> str:
    m, b = record["machine"], record["build"]
    lines = [
        f"# Page loads at a city's scale ({b['people']:,} people, {b['years']} years)",
        "",
        f"Recorded {record['date']} on {m['system']}, {m['cores']} cores; Python {m['python']}, "
        f"Streamlit {m['streamlit']}, DuckDB {m['duckdb']}, pandas {m['pandas']}, NumPy {m['numpy']}"
        + (f"; load average before the run {m['load_before']}." if m.get("load_before") else "."),
        "",
        f"Store: {b['store_bytes'] / 1e6:,.0f} MB; rows "
        + ", ".join(f"{k} {v:,}" for k, v in b["rows"].items())
        + f". Generating the CSVs took {b['generate_ms'] / 1000:,.1f} s, ingesting them "
        f"{b['ingest_ms'] / 1000:,.1f} s.",
        "",
        "## Page loads (AppTest, server side, ms)",
        "",
        f"First run of app.py (connection, frame, overview; every cache empty): "
        f"{_fmt(record['pages']['app_cold_ms'])} ms.",
        "",
        "| page | cold | warm (median) | change | change ms | after change, warm | all under 1 s |",
        "|---|---:|---:|---|---:|---:|---|",
    ]
    for key, row in record["pages"]["pages"].items():
        worst = max(row.get("cold_ms") or 0, row.get("warm_ms") or 0, row.get("change_ms") or 0)
        ok = "yes" if worst < TARGET_MS else "**no**"
        lines.append(f"| {key} | {_fmt(row.get('cold_ms'))} | {_fmt(row.get('warm_ms'))} | {row.get('change', '—')} "
                     f"| {_fmt(row.get('change_ms'))} | {_fmt(row.get('change_warm_ms'))} | {ok} |")
    errs = {k: r["errors"] for k, r in record["pages"]["pages"].items() if r.get("errors")}
    if errs:
        lines += ["", "Errors raised by pages:", ""] + [f"- {k}: {v}" for k, v in errs.items()]
    svc = record["services"]
    lines += [
        "",
        f"## Service calls (no Streamlit, ms; period {svc['period']}, date {svc['reference_date']}"
        + (f", {svc['sections']:,} compared sections" if svc.get("sections") else "") + ")",
        "",
        "| call | used by | first | median of repeats |",
        "|---|---|---:|---:|",
    ]
    for name, c in svc["calls"].items():
        if "error" in c:
            lines.append(f"| {name} | {c['page']} | error: {c['error']} | |")
        else:
            lines.append(f"| {name} | {c['page']} | {_fmt(c['first_ms'])} | {_fmt(c['median_ms'])} |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--people", type=int, default=10_000)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--quick", action="store_true", help="2,000 people, 5 years, one warm rerun")
    ap.add_argument("--runs", type=int, default=3, help="warm reruns / service repeats (median)")
    ap.add_argument("--cache-dir", type=Path, default=Path(tempfile.gettempdir()) / "cadre_bench_pages")
    ap.add_argument("--rebuild", action="store_true", help="generate and ingest again even when cached")
    ap.add_argument("--skip", default="", help="comma list: services,pages")
    ap.add_argument("--no-write", action="store_true", help="leave bench/results alone")
    ap.add_argument("--pages", default="", help="comma list of page keys to load (default: every page)")
    ap.add_argument("--after-upload", action="store_true",
                    help="each page's cold view without what other pages scored (as after an upload)")
    ap.add_argument("--stale-scores", action="store_true",
                    help="forget the stored scores in the private copy: pages score as before issue 17")
    args = ap.parse_args(argv)
    if args.quick:
        args.people, args.years, args.runs = 2000, 5, 1
    skip = set(filter(None, args.skip.split(",")))
    started = time.perf_counter()
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else None

    print(f"store: {args.people} people, {args.years} years", flush=True)
    cached_db, build = build_store(args.people, args.years, args.cache_dir, args.rebuild)
    print(f"  {build}", flush=True)
    work = Path(tempfile.mkdtemp(prefix="cadre_bench_pages_"))
    try:
        db = work / "store.duckdb"  # a private copy: the cached store stays pristine
        shutil.copyfile(cached_db, db)
        if args.stale_scores:
            import duckdb
            with duckdb.connect(str(db)) as raw:
                raw.execute("delete from meta where key = 'scores_key'")
        record = {
            "date": dt.date.today().isoformat(),
            "machine": {"system": f"{platform.system()} {platform.machine()}", "cores": os.cpu_count(),
                        "load_before": round(load_before, 2) if load_before is not None else None, **_versions()},
            "build": build, "target_ms": TARGET_MS,
        }
        if "services" not in skip:
            print("services:", flush=True)
            record["services"] = services(db, args.runs)
        if "pages" not in skip:
            print("pages:", flush=True)
            record["pages"] = pages(db, args.runs, set(filter(None, args.pages.split(","))), args.after_upload)
        record["bench_seconds"] = round(time.perf_counter() - started, 1)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if not args.no_write and {"services", "pages"} <= set(record):
        RESULTS_JSON.parent.mkdir(parents=True, exist_ok=True)
        RESULTS_JSON.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n")
        RESULTS_MD.write_text(markdown(record))
        print(f"wrote {RESULTS_JSON.relative_to(ROOT)} and {RESULTS_MD.relative_to(ROOT)}")
    elif {"services", "pages"} <= set(record):
        print(markdown(record))
    print(f"bench took {record['bench_seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
