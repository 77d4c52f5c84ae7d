"""What a leader meets: page loads and slider moves in a real browser
(Playwright driving Debian's /usr/bin/chromium), against a floor page
measured in the same run.

One run measures:

- the floor (``bench/floor_app.py``, its own ``streamlit run``): a one-metric
  page loaded like the app's pages, and a one-slider page's slider move;
  and the same with one small plotly chart (what drawing a chart at all
  costs the browser);
- every page of ``cadre.ui.nav.PAGES`` on ``streamlit run app.py``, each by a
  fresh browser context: the first visit (cold browser cache, new session)
  and the second visit (same context, a new tab: warm browser cache, new
  session), from navigation start until the page's script has finished its
  last run and the visible charts and tables are drawn;
- the websocket bytes the server sends per visit (the largest single
  message and the total);
- a what-if slider move: the first weight slider focused, eight arrow-key
  presses, until the last rerun they cause has finished (the same on the
  floor's slider).

"Finished" is read from Streamlit's ``data-test-script-state`` attribute
by a MutationObserver installed before the page's own scripts, so the time
is that of the last change to "notRunning", not of when the bench noticed
it; a run counts as finished once nothing changed for ``QUIET_MS``.

    python bench/bench_browser.py --scale demo --repeat 3
    python bench/bench_browser.py --scale city --repeat 1 --pages distribution,sections

Each load here is by a typed address, a new Streamlit session; the clicks
of one signed-in session through the sidebar menu are measured by
``bench/bench_session.py``, which shares this module's observer.

The city store is built once by ``bench/bench_ingest.py`` (``--store`` to
name another); a store that holds the generated office counts as the demo
(no sign-in). Results: ``bench/results/browser_<scale>.json`` and ``.md``.
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
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import (CHROMIUM, LAUNCH_ARGS, PASSWORD_FIELD,  # noqa: E402
                                    _free_port, _wait_healthy, running_app)

RESULTS = ROOT / "bench" / "results"
CITY_STORE = Path(tempfile.gettempdir()) / "cadre_bench_city" / "store.duckdb"
QUIET_MS = 600
PRESSES = 8

# Records every change of the script state with its time (ms since navigation start),
# and the time of the last change a user can see. A change inside a <canvas> is
# not one: a canvas's children are never painted. The table grid keeps its
# accessibility tree there and rebuilds it 200 ms after it drew (glide's
# debounce), which counted as the page still drawing on every page with a table.
OBSERVER = """
(() => {
  window.__st = [];
  window.__mut = 0;
  const unseen = (r) => {  // the canvas's own size and style are seen; its children are not
    const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
    if (!el) return false;
    return el.tagName === 'CANVAS' ? r.type === 'childList' : !!el.closest('canvas');
  };
  const read = (records) => {
    if (records && records.every(unseen)) return;
    window.__mut = performance.now();
    const a = document.querySelector('[data-testid="stApp"]');
    const s = a ? a.getAttribute('data-test-script-state') : null;
    const last = window.__st[window.__st.length - 1];
    if (!last || last[1] !== s) window.__st.push([performance.now(), s]);
  };
  new MutationObserver(read).observe(document, {subtree: true, childList: true, attributes: true,
                                                characterData: true});
})();
"""

# True once a run that began after `since` has finished and what it drew is on screen.
SETTLED = """(since) => {
  const st = window.__st || [];
  // a page load must see its script run; a slider's rerun can be too quick to show
  const ran = since > 0 ? window.__mut > since : st.some(([t, s]) => t >= since && s === 'running');
  const last = st[st.length - 1];
  if (!ran || !last || last[1] !== 'notRunning') return false;
  const visible = (el) => el.offsetParent !== null;
  const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].filter(visible);
  if (charts.some((c) => !c.querySelector('.main-svg'))) return false;
  const tables = [...document.querySelectorAll('[data-testid="stDataFrame"]')].filter(visible);
  if (tables.some((t) => !t.querySelector('canvas'))) return false;
  if (document.querySelector('[data-testid="stSkeleton"]')) return false;
  window.__drawn = performance.now();
  return true;
}"""


def settle(page, since: float = 0.0, timeout: float = 180_000) -> float:
    """Wait until the page's script is idle, its charts and tables drawn and
    nothing on the page changed for QUIET_MS; return the time (ms since
    navigation start) of the last change before that quiet."""
    deadline = time.monotonic() + timeout / 1000
    while True:
        page.wait_for_function(SETTLED, arg=since, polling="raf", timeout=timeout)
        seen = page.evaluate("() => window.__mut")
        page.wait_for_timeout(QUIET_MS)
        last, state = page.evaluate("() => [window.__mut, window.__st[window.__st.length - 1][1]]")
        if state == "notRunning" and last == seen:
            return round(last, 1)
        if time.monotonic() > deadline:
            raise TimeoutError("the page did not settle")


class Wire:
    """Bytes the server sends over the page's websocket."""

    def __init__(self, page):
        self.sizes: list[int] = []
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload) -> None:
        self.sizes.append(len(payload))

    def summary(self) -> dict:
        return {"ws_total_bytes": sum(self.sizes), "ws_max_bytes": max(self.sizes, default=0),
                "ws_messages": len(self.sizes)}


def visit(context, url: str) -> dict:
    """One page load in ``context``: time until settled and the wire bytes."""
    page = context.new_page()
    page.set_default_timeout(180_000)
    wire = Wire(page)
    page.goto(url)
    ms = settle(page)
    if page.locator(PASSWORD_FIELD).count():
        page.close()
        raise SystemExit("the store asks for sign-in: build it with bench/bench_ingest.py "
                         "(it lands the generated office as the demo)")
    errors = page.locator('[data-testid="stException"]').count()
    out = {"ms": ms, **wire.summary(), "exceptions": errors}
    page.close()
    return out


def page_loads(browser, url: str, path: str, repeat: int) -> dict:
    first, second = [], []
    for _ in range(repeat):
        context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
        context.add_init_script(OBSERVER)
        first.append(visit(context, f"{url}/{path}"))
        second.append(visit(context, f"{url}/{path}"))
        context.close()
    return {"first": _summary(first), "second": _summary(second)}


def _summary(runs: list[dict]) -> dict:
    out = {"ms_median": round(statistics.median(r["ms"] for r in runs), 1), "ms_runs": [r["ms"] for r in runs]}
    for k in ("ws_total_bytes", "ws_max_bytes", "ws_messages", "exceptions"):
        out[k] = max(r[k] for r in runs)
    return out


def slider_moves(browser, url: str, selector: str, repeat: int) -> dict:
    """Eight arrow-key presses on the first slider, until the reruns finish."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
    context.add_init_script(OBSERVER)
    page = context.new_page()
    page.set_default_timeout(180_000)
    page.goto(url)
    settle(page)
    thumb = page.locator(selector).first
    thumb.wait_for()
    thumb.scroll_into_view_if_needed()
    settle(page)
    wire = Wire(page)
    moves = []
    for i in range(repeat):
        thumb.focus()
        before = len(wire.sizes)
        t0 = page.evaluate("() => performance.now()")
        key = "ArrowRight" if i % 2 == 0 else "ArrowLeft"
        for _ in range(PRESSES):
            page.keyboard.press(key)
        done = settle(page, since=t0, timeout=60_000)
        moves.append({"ms": round(done - t0, 1), "ws_bytes": sum(wire.sizes[before:]),
                      "ws_max_bytes": max(wire.sizes[before:], default=0)})
    context.close()
    return {"ms_median": round(statistics.median(m["ms"] for m in moves), 1), "runs": moves}


@contextmanager
def floor_server(workdir: Path, script: str = "bench/floor_app.py"):
    port = _free_port()
    with open(workdir / f"{Path(script).stem}.log", "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
             "--server.headless", "true", "--server.address", "127.0.0.1",
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(url, proc)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


def demo_store(workdir: Path) -> Path:
    from cadre import batches, store
    path = workdir / "demo.duckdb"
    con = store.connect(path)
    batches.ensure_demo(con)
    con.close()
    return path


def _versions() -> dict:
    import duckdb
    import pandas
    import playwright
    import streamlit
    out = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()
    return {"python": platform.python_version(), "streamlit": streamlit.__version__, "duckdb": duckdb.__version__,
            "pandas": pandas.__version__, "playwright": getattr(playwright, "__version__", "?"), "chromium": out,
            "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores",
            "load_before": os.getloadavg()[0]}


def markdown(rec: dict) -> str:
    f = rec["floor"]
    lines = [f"Browser bench, scale {rec['scale']} ({rec['date']}, repeat {rec['repeat']}, "
             f"load average before {rec['env']['load_before']:.1f})", "",
             "| page | first visit s | ×floor | second visit s | ×floor | second − floor s | largest message KB | total KB |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]

    def row(name, r):
        a, b = r["first"]["ms_median"], r["second"]["ms_median"]
        fa, fb = f["first"]["ms_median"], f["second"]["ms_median"]
        lines.append(f"| {name} | {a / 1000:.2f} | {a / fa:.1f} | {b / 1000:.2f} | {b / fb:.1f} | "
                     f"{(b - fb) / 1000:+.2f} | {r['first']['ws_max_bytes'] / 1024:,.0f} | "
                     f"{r['first']['ws_total_bytes'] / 1024:,.0f} |")
    row("floor (one metric)", f)
    if "floor_chart" in rec:
        row("floor with one chart", rec["floor_chart"])
    for name, r in rec["pages"].items():
        row(name, r)
    s, fs = rec.get("slider"), rec["floor_slider"]
    lines += ["", "| slider move (8 arrow keys) | s | − floor ms |", "|---|---:|---:|",
              f"| floor slider | {fs['ms_median'] / 1000:.2f} | |"]
    if "floor_chart_slider" in rec:
        fc = rec["floor_chart_slider"]["ms_median"]
        lines.append(f"| floor slider redrawing one chart | {fc / 1000:.2f} | {fc - fs['ms_median']:+.0f} |")
    if s:
        lines.append(f"| what-if first weight | {s['ms_median'] / 1000:.2f} | {s['ms_median'] - fs['ms_median']:+.0f} |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    from playwright.sync_api import sync_playwright

    from cadre.ui.nav import PAGES
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", choices=["demo", "city"], default="demo")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--pages", help="comma-separated page keys (default: every page)")
    ap.add_argument("--store", type=Path, help=f"the city store (default {CITY_STORE})")
    ap.add_argument("--no-slider", action="store_true")
    ap.add_argument("--tag", default="", help="suffix of the result files (e.g. before)")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)
    keys = [p.key for p in PAGES] if not args.pages else args.pages.split(",")
    rec = {"scale": args.scale, "tag": args.tag, "repeat": args.repeat, "date": dt.datetime.now().isoformat(timespec="seconds"),
           "env": _versions(), "pages": {}}
    with tempfile.TemporaryDirectory(prefix="cadre_bench_browser_") as tmp:
        work = Path(tmp)
        store_path = demo_store(work) if args.scale == "demo" else (args.store or CITY_STORE)
        if not store_path.is_file():
            raise SystemExit(f"no store at {store_path}: run bench/bench_ingest.py first")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
            with floor_server(work) as furl:
                page_loads(browser, furl, "metric", 1)  # warm the server's first import
                rec["floor"] = page_loads(browser, furl, "metric", args.repeat)
                print("floor", rec["floor"]["first"]["ms_median"], rec["floor"]["second"]["ms_median"], flush=True)
                rec["floor_slider"] = slider_moves(browser, f"{furl}/slider", '[data-testid="stSlider"] input[type="range"]',
                                                   max(args.repeat, 3))
                print("floor slider", rec["floor_slider"]["ms_median"], flush=True)
                # the same with one small plotly chart: the browser's cost of drawing a chart at all
                rec["floor_chart"] = page_loads(browser, furl, "chart", args.repeat)
                rec["floor_chart_slider"] = slider_moves(browser, f"{furl}/chart_slider",
                                                         '[data-testid="stSlider"] input[type="range"]',
                                                         max(args.repeat, 3))
                print("floor chart", rec["floor_chart"]["second"]["ms_median"], rec["floor_chart_slider"]["ms_median"],
                      flush=True)
            appdir = work / "app"
            appdir.mkdir()
            with running_app(store_path, appdir) as url:
                page_loads(browser, url, "", 1)  # the server's imports and the store's first open
                for key in keys:
                    path = "" if key == "overview" else key
                    rec["pages"][key] = page_loads(browser, url, path, args.repeat)
                    r = rec["pages"][key]
                    print(key, r["first"]["ms_median"], r["second"]["ms_median"],
                          r["first"]["ws_max_bytes"], r["first"]["ws_total_bytes"], flush=True)
                if not args.no_slider:
                    rec["slider"] = slider_moves(browser, f"{url}/whatif",
                                                 '[data-testid="stMain"] [data-testid="stSlider"] input[type="range"]',
                                                 max(args.repeat, 3))
                    print("whatif slider", rec["slider"]["ms_median"], flush=True)
            browser.close()
    md = markdown(rec)
    print(md)
    if not args.no_write:
        RESULTS.mkdir(parents=True, exist_ok=True)
        name = f"browser_{args.scale}{'_' + args.tag if args.tag else ''}"
        (RESULTS / f"{name}.json").write_text(json.dumps(rec, indent=1, ensure_ascii=False))
        (RESULTS / f"{name}.md").write_text(md)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
