"""In one session: a leader signs in once and clicks through the sidebar
menu, page by page, before and after an upload; against a one-chart
multipage floor app clicked the same way in the same run.

``bench/bench_browser.py`` loads each page by its typed address, and a
typed address is a new Streamlit session (the app's first run, the frame,
the sign-in gate). A leader does not work that way: they sign in once and
click the menu, each click a rerun of the same session on another page.
This bench times those clicks.

One repeat is a fresh ``streamlit run app.py`` on a fresh copy of an
office's store and one browser context (one session):

1. the landing page by its address ("/"), the sign-in form filled once;
2. round 0, the warm-up: every page of the menu (``cadre.ui.nav.PAGES``)
   clicked in menu order, the landing page (overview) last; after it the
   server has imported every page's modules and the browser has loaded
   plotly, as on a server that has been up for days;
3. an upload through the command line, ``bash scripts/cadre ingest
   assessments.csv`` into the served store: the office's assessment file
   again, landed as a new batch, so a new data version, which every cache
   key holds (the rows are the same, so every page shows what it showed);
4. round 1: every page clicked again, its **first visit after the upload**;
5. round 2: every page clicked again, its **second visit** in the session.

A click is timed from the link's ``click()`` (in the page, the time read
in the same task) until the page's script has finished its last run, the
visible charts and tables are drawn and nothing has changed for
``QUIET_MS`` (``bench_browser``'s OBSERVER and SETTLED). The floor
(``bench/floor_pages.py``, its own server): three one-chart pages clicked
through the same kind of menu, rounds 0 to 2 with no upload; its first
visit is the median click of round 1, its second of round 2.

The store is written by the command line: the demo office's files
(``bash scripts/cadre demo --out``) or, at city scale, the generated
city's (written by ``bench/bench_ingest.py`` into /tmp/cadre_bench_city/files),
ingested into a new store as an office's upload (not the demo's, so the
app asks for sign-in), with one administrator added by ``bash scripts/cadre
user add``.

    python bench/bench_session.py --scale demo --repeat 2
    python bench/bench_session.py --scale city --repeat 1

Results: ``bench/results/browser_session_<scale>.json`` and ``.md``.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_browser import OBSERVER, Wire, _versions, floor_server, settle  # noqa: E402
from bench_ingest import CACHE  # noqa: E402
from tests.browser.conftest import CHROMIUM, LAUNCH_ARGS, running_app, sign_in_if_asked  # noqa: E402

RESULTS = ROOT / "bench" / "results"
CLI = ROOT / "scripts" / "cadre"
ADMIN, PASSWORD = "局长", "bench-session-pw"
FILES = ("roster.csv", "assessments.csv", "movements.csv")
UPLOAD = "assessments.csv"
FLOOR_PAGES = ["a", "b", "c"]  # bench/floor_pages.py; "a" is its default page
FIRST_WITHIN_MS, SECOND_WITHIN_MS = 1000, 300  # issue 17's targets, against the floor

# Clicks the menu's link to ``path`` ("" for the default page at "/") and
# returns the time of the click (ms since navigation start), or null.
CLICK = """(path) => {
  // the link's own href ("" for the default page, else its url path), not a.href resolved against the address
  const at = (a) => (a.getAttribute('href') || '').replace(/\\/+$/, '').split('/').pop();
  const link = [...document.querySelectorAll('.st-key-cadre_nav a')].find((a) => at(a) === path);
  if (!link) return null;
  const t = performance.now();
  link.click();
  return t;
}"""
# When the browser last saw the script state turn "notRunning" after ``t``
# (the server's run and the wire; what follows until settled is drawing), or
# null when the run was too quick for the observer to see it change.
SCRIPT_ENDED = """(t) => {
  const ends = (window.__st || []).filter(([x, s]) => x >= t && s === 'notRunning');
  return ends.length ? ends[ends.length - 1][0] : null;
}"""
# True once the address shows ``path``: the server has begun the new page's run.
AT = "(path) => location.pathname.replace(/\\/+$/, '').split('/').pop() === path"


def cli(*args: str, db: Path | None = None, stdin: str | None = None) -> float:
    """``bash scripts/cadre ARGS [--db DB]``; its wall time in seconds."""
    t0 = time.perf_counter()
    out = subprocess.run(["bash", str(CLI), *args, *(["--db", str(db)] if db else [])],
                         input=stdin, capture_output=True, text=True, cwd=ROOT)
    if out.returncode:
        raise SystemExit(f"cadre {' '.join(args)} failed:\n{out.stderr[-2000:]}")
    return round(time.perf_counter() - t0, 2)


def office_store(files: Path, db: Path) -> dict:
    """An office's store written by the command line: ``files`` ingested
    as one upload, and an administrator to sign in as."""
    return {"ingest_s": cli("ingest", *(str(files / f) for f in FILES), db=db),
            "user_add_s": cli("user", "add", ADMIN, "--role", "admin", "--password-stdin", db=db,
                              stdin=PASSWORD + "\n")}


def click(page, wire: Wire, path: str) -> dict:
    """Click the menu's link to ``path``; the time until the page settled."""
    before = len(wire.sizes)
    t0 = page.evaluate(CLICK, path)
    if t0 is None:
        raise SystemExit(f"no link to /{path} in the sidebar menu")
    page.wait_for_function(AT, arg=path, polling="raf")
    done = settle(page, since=t0)
    ended = page.evaluate(SCRIPT_ENDED, t0)
    return {"ms": round(done - t0, 1), "script_ms": None if ended is None else round(ended - t0, 1),
            "ws_bytes": sum(wire.sizes[before:]),
            "exceptions": page.locator('[data-testid="stException"]').count()}


def session(browser, url: str, paths: list[str], upload=None, sign_in: bool = True) -> dict:
    """One browser context: land on "/", sign in if asked, then three rounds
    of clicks over ``paths`` (the landing page's "" last), ``upload()`` run
    before round 1."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
    context.add_init_script(OBSERVER)
    page = context.new_page()
    page.set_default_timeout(180_000)
    wire = Wire(page)
    page.goto(url)
    if sign_in:
        sign_in_if_asked(page, ADMIN, PASSWORD)
    settle(page)
    out: dict = {"rounds": []}
    for r in range(3):
        if r == 1 and upload is not None:
            out["upload_s"] = upload()
        out["rounds"].append({path: click(page, wire, path) for path in paths})
        print(f"  round {r}:", " ".join(f"{p or '/'}={c['ms']:.0f}" for p, c in out["rounds"][-1].items()), flush=True)
    context.close()
    out["load"] = os.getloadavg()[0]
    return out


def summary(rec: dict) -> dict:
    """Medians per page over the repeats, the floor's over its pages, and
    each page's first and second visit minus the floor's."""
    def med(sessions, r, path):
        return round(statistics.median(s["rounds"][r][path]["ms"] for s in sessions), 1)

    fl = rec["floor_sessions"]
    floor = {name: round(statistics.median(s["rounds"][r][p]["ms"] for s in fl for p in s["rounds"][r]), 1)
             for name, r in (("before_upload", 0), ("first", 1), ("second", 2))}
    def script(r, path):  # the median time until the script ended, where the observer saw it
        seen = [s["rounds"][r][path]["script_ms"] for s in rec["app_sessions"]]
        seen = [x for x in seen if x is not None]
        return round(statistics.median(seen), 1) if seen else None

    pages = {}
    for key, path in rec["paths"].items():
        first, second = med(rec["app_sessions"], 1, path), med(rec["app_sessions"], 2, path)
        pages[key] = {"before_upload": med(rec["app_sessions"], 0, path), "first": first, "second": second,
                      "first_script_ended": script(1, path), "second_script_ended": script(2, path),
                      "first_minus_floor": round(first - floor["first"], 1),
                      "second_minus_floor": round(second - floor["second"], 1),
                      "first_met": first - floor["first"] <= FIRST_WITHIN_MS,
                      "second_met": second - floor["second"] <= SECOND_WITHIN_MS,
                      "ws_kb_first": round(max(s["rounds"][1][path]["ws_bytes"] for s in rec["app_sessions"]) / 1024),
                      "exceptions": max(s["rounds"][r][path]["exceptions"] for s in rec["app_sessions"]
                                        for r in range(3))}
    return {"floor": floor, "pages": pages}


def markdown(rec: dict) -> str:
    s, f = rec["summary"], rec["summary"]["floor"]
    loads = ", ".join(f"{x:.1f}" for x in rec["load"]["during"])
    lines = [f"Session bench, scale {rec['scale']} ({rec['date']}, repeat {rec['repeat']}; load average "
             f"{rec['load']['before']:.1f} before, {loads} after each session, {rec['load']['after']:.1f} after; "
             f"upload {', '.join(str(a['upload_s']) for a in rec['app_sessions'])} s)", "",
             "| page | before upload s | first visit s | first − floor s | ≤ 1 s | second visit s | "
             "second − floor s | ≤ 0.3 s | script ended s (first / second) | KB sent (first) |",
             "|---|---:|---:|---:|:-:|---:|---:|:-:|---:|---:|",
             f"| floor (one chart) | {f['before_upload'] / 1000:.2f} | {f['first'] / 1000:.2f} | 0 | | "
             f"{f['second'] / 1000:.2f} | 0 | | | |"]

    def secs(ms):
        return "?" if ms is None else f"{ms / 1000:.2f}"
    for key, p in s["pages"].items():
        lines.append(f"| {key}{' (exceptions!)' if p['exceptions'] else ''} | {p['before_upload'] / 1000:.2f} | "
                     f"{p['first'] / 1000:.2f} | {p['first_minus_floor'] / 1000:+.2f} | "
                     f"{'yes' if p['first_met'] else '**no**'} | {p['second'] / 1000:.2f} | "
                     f"{p['second_minus_floor'] / 1000:+.2f} | {'yes' if p['second_met'] else '**no**'} | "
                     f"{secs(p['first_script_ended'])} / {secs(p['second_script_ended'])} | {p['ws_kb_first']:,} |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    from playwright.sync_api import sync_playwright

    from cadre.ui.nav import PAGES
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", choices=["demo", "city"], default="demo")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--files", type=Path, help="a folder of the office's CSVs (default: the scale's)")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)
    keys = [p.key for p in PAGES[1:]] + [PAGES[0].key]  # the landing page (overview, at "/") last
    rec = {"scale": args.scale, "repeat": args.repeat, "date": dt.datetime.now().isoformat(timespec="seconds"),
           "env": _versions(), "load": {"before": os.getloadavg()[0], "during": []},
           "paths": {k: "" if k == PAGES[0].key else k for k in keys}, "floor_sessions": [], "app_sessions": []}
    with tempfile.TemporaryDirectory(prefix="cadre_bench_session_") as tmp:
        work = Path(tmp)
        files = args.files or (CACHE / "files" if args.scale == "city" else work / "files")
        if args.scale == "demo" and not args.files:
            cli("demo", "--out", str(files))
        if not all((files / f).is_file() for f in FILES):
            raise SystemExit(f"no office files in {files}: run bench/bench_ingest.py first")
        template = work / "office.duckdb"
        rec["store"] = office_store(files, template)
        print("store", rec["store"], flush=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
            with floor_server(work, "bench/floor_pages.py") as furl:
                for r in range(args.repeat):
                    print(f"floor, repeat {r}", flush=True)
                    rec["floor_sessions"].append(session(browser, furl, FLOOR_PAGES[1:] + [""], sign_in=False))
                    rec["load"]["during"].append(rec["floor_sessions"][-1]["load"])
                    appdir = work / f"app{r}"
                    appdir.mkdir()
                    with running_app(template, appdir) as url:
                        print(f"app, repeat {r}", flush=True)
                        upload = lambda: cli("ingest", str(files / UPLOAD), db=appdir / "cadre.duckdb")  # noqa: E731
                        rec["app_sessions"].append(session(browser, url, list(rec["paths"].values()), upload))
                        rec["load"]["during"].append(rec["app_sessions"][-1]["load"])
            browser.close()
    rec["load"]["after"] = os.getloadavg()[0]
    rec["summary"] = summary(rec)
    md = markdown(rec)
    print(md)
    if not args.no_write:
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / f"browser_session_{args.scale}.json").write_text(json.dumps(rec, indent=1, ensure_ascii=False))
        (RESULTS / f"browser_session_{args.scale}.md").write_text(md)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
