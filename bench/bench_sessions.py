"""A meeting: ten browser sessions at once (a projector and nine laptops)
cycling through the meeting's pages on one server, at a city's scale.

One Chromium (Debian's /usr/bin/chromium, driven by Playwright's async API),
one browser context per session; each session opens the agenda's pages in
turn (``cadre.ui.nav.DEFAULT_AGENDA``, each session starting at a different
page), each a full load in the session's tab (a new Streamlit session, the
browser's cache warm), timed as ``bench/bench_browser.py`` times a page:
from navigation start until the script is idle and what it drew is on
screen. Reports the median and 90th percentile of all loads.

    python bench/bench_sessions.py [--sessions 10] [--rounds 2] [--scale city]

Results: ``bench/results/sessions_<scale>.json``.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_browser import CITY_STORE, OBSERVER, QUIET_MS, SETTLED, demo_store  # noqa: E402
from tests.browser.conftest import CHROMIUM, LAUNCH_ARGS, running_app  # noqa: E402

RESULTS = ROOT / "bench" / "results"


async def settle(page, timeout: float = 300_000) -> float:
    """As bench_browser.settle: the time of the last change before QUIET_MS of quiet."""
    deadline = time.monotonic() + timeout / 1000
    while True:
        await page.wait_for_function(SETTLED, arg=0, polling="raf", timeout=timeout)
        seen = await page.evaluate("() => window.__mut")
        await page.wait_for_timeout(QUIET_MS)
        last, state = await page.evaluate("() => [window.__mut, window.__st[window.__st.length - 1][1]]")
        if state == "notRunning" and last == seen:
            return round(last, 1)
        if time.monotonic() > deadline:
            raise TimeoutError("the page did not settle")


async def session(browser, url: str, pages: list[str], start: int, rounds: int, loads: list) -> None:
    context = await browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
    await context.add_init_script(OBSERVER)
    page = await context.new_page()
    page.set_default_timeout(300_000)
    for i in range(rounds * len(pages)):
        key = pages[(start + i) % len(pages)]
        await page.goto(f"{url}/{'' if key == 'overview' else key}")
        ms = await settle(page)
        loads.append({"session": start, "page": key, "ms": ms, "at": round(time.monotonic(), 2)})
        print(f"session {start} {key} {ms:.0f} ms", flush=True)
    await context.close()


async def meeting(url: str, sessions: int, rounds: int, pages: list[str]) -> list[dict]:
    from playwright.async_api import async_playwright
    loads: list[dict] = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
        await asyncio.gather(*(session(browser, url, pages, i, rounds, loads) for i in range(sessions)))
        await browser.close()
    return loads


def main(argv=None) -> int:
    from cadre.ui.nav import DEFAULT_AGENDA
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", choices=["demo", "city"], default="city")
    ap.add_argument("--sessions", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--store", type=Path)
    ap.add_argument("--tag", default="")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)
    pages = list(DEFAULT_AGENDA)
    rec = {"scale": args.scale, "tag": args.tag, "sessions": args.sessions, "rounds": args.rounds, "pages": pages,
           "date": dt.datetime.now().isoformat(timespec="seconds"), "load_before": round(os.getloadavg()[0], 1)}
    with tempfile.TemporaryDirectory(prefix="cadre_bench_sessions_") as tmp:
        work = Path(tmp)
        store_path = demo_store(work) if args.scale == "demo" else (args.store or CITY_STORE)
        if not store_path.is_file():
            raise SystemExit(f"no store at {store_path}: run bench/bench_ingest.py first")
        appdir = work / "app"
        appdir.mkdir()
        with running_app(store_path, appdir) as url:
            asyncio.run(meeting(url, 1, 1, pages))  # the server's imports and the store's first open, alone
            t0 = time.monotonic()
            loads = asyncio.run(meeting(url, args.sessions, args.rounds, pages))
            rec["wall_s"] = round(time.monotonic() - t0, 1)
    ms = sorted(x["ms"] for x in loads)
    rec["median_ms"] = round(statistics.median(ms), 1)
    rec["p90_ms"] = round(ms[min(len(ms) - 1, int(0.9 * len(ms)))], 1)
    rec["per_page_median_ms"] = {k: round(statistics.median(x["ms"] for x in loads if x["page"] == k), 1)
                                 for k in pages}
    rec["loads"] = loads
    print(f"{len(ms)} loads: median {rec['median_ms'] / 1000:.2f} s, p90 {rec['p90_ms'] / 1000:.2f} s; "
          f"per page {rec['per_page_median_ms']}")
    if not args.no_write:
        RESULTS.mkdir(parents=True, exist_ok=True)
        name = f"sessions_{args.scale}{'_' + args.tag if args.tag else ''}.json"
        (RESULTS / name).write_text(json.dumps(rec, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
