"""Browser tests: `streamlit run app.py` on a free port, driven by Playwright
in Debian's Chromium (/usr/bin/chromium)."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.browser.journal import Journal

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CADRE_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(os.environ.get("CADRE_TEST_ARTIFACTS") or ROOT / "tests" / "artifacts")

# The Streamlit server logs of the apps started in this session, in order, and
# those still running: a failed test keeps the log of every app it could have
# talked to beside its screenshot (an app started by a test, or by a module's
# fixture, or still running from an earlier test of its module).
_STARTED_LOGS: list[Path] = []
_RUNNING_LOGS: dict[Path, subprocess.Popen] = {}

# `streamlit run` with faulthandler listening on SIGUSR1: a failed test asks
# a server that still runs for the stack of every thread (into its log), so a
# page stuck mid-run shows where the server's script threads were waiting.
_LAUNCH = ("import faulthandler, signal, sys; faulthandler.register(signal.SIGUSR1, all_threads=True); "
           "from streamlit.web.cli import main; main(prog_name='streamlit')")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc, attempts: int = 240) -> None:
    for _ in range(attempts):
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        try:  # waits up to 0.25 s on the server process between attempts
            code = proc.wait(timeout=0.25)
            raise RuntimeError(f"streamlit exited with {code}")
        except subprocess.TimeoutExpired:
            pass
    raise TimeoutError("streamlit did not become healthy")


@contextmanager
def running_app(store_template: Path, workdir: Path):
    """`streamlit run app.py` on a private copy of ``store_template``; yields its URL."""
    db = workdir / "cadre.duckdb"
    shutil.copy(store_template, db)
    port = _free_port()
    env = dict(os.environ, CADRE_DB=str(db), BROWSER_PATH=CHROMIUM)
    log_path = workdir / "streamlit.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-c", _LAUNCH, "run", "app.py", "--server.port", str(port),
             "--server.headless", "true", "--server.address", "127.0.0.1",
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        _STARTED_LOGS.append(log_path)
        _RUNNING_LOGS[log_path] = proc
        try:
            _wait_healthy(url, proc)
            yield url
        finally:
            del _RUNNING_LOGS[log_path]
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture
def app_url(demo_store_template, tmp_path):
    """A running app on a private copy of the demo store, for one test."""
    with running_app(demo_store_template, tmp_path) as url:
        yield url


@pytest.fixture(scope="module")
def module_app_url(demo_store_template, tmp_path_factory):
    """One running app for a whole test module (tests that only read)."""
    with running_app(demo_store_template, tmp_path_factory.mktemp("app")) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
        yield b
        b.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    """Mark where this test's apps begin in the list of started apps."""
    item.first_app_log = len(_STARTED_LOGS)
    return (yield)


def dump_threads(running: dict[Path, subprocess.Popen], timeout: float = 5.0) -> None:
    """Have each running server write the stack of its every thread into
    its log (faulthandler on SIGUSR1, see _LAUNCH), and wait until each log
    holds that dump (faulthandler ends it with the signalled thread's
    "Current thread" block) and has stopped growing."""
    asked = {}
    for log, proc in running.items():
        if proc.poll() is None:
            asked[log] = log.stat().st_size if log.exists() else 0
            proc.send_signal(signal.SIGUSR1)
    deadline, last = time.monotonic() + timeout, {}
    while asked and time.monotonic() < deadline:
        sizes = {log: log.stat().st_size for log in asked if log.exists()}
        done = all(sizes.get(log) == last.get(log) and
                   b"Current thread" in log.read_bytes()[start:] for log, start in asked.items())
        if done:
            return
        last = sizes
        time.sleep(0.05)


def save_app_logs(name: str, logs: list[Path]) -> Path | None:
    """Copy the server logs ``logs`` to tests/artifacts/FAILED-<name>.log (one
    log as it is; several one after another, each under its path)."""
    logs = [p for p in dict.fromkeys(logs) if p.exists()]
    if not logs:
        return None
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / f"FAILED-{name}.log"
    if len(logs) == 1:
        shutil.copyfile(logs[0], target)
        return target
    with open(target, "w", encoding="utf-8") as out:
        for path in logs:
            out.write(f"===== {path} =====\n")
            out.write(path.read_text(encoding="utf-8", errors="replace"))
            out.write("\n")
    return target


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each test's outcome on its item, so that a failed test's page can
    be saved as a picture before its browser context closes; and keep the
    server log of every app the failed test could have talked to (the apps
    still running, with their threads' stacks, and those started since its
    setup began) beside it."""
    report = yield
    if report.when == "call":
        item.failed_call = report.failed
    if report.failed and report.when in ("setup", "call"):
        try:
            dump_threads(dict(_RUNNING_LOGS))
            save_app_logs(item.name, [*_RUNNING_LOGS, *_STARTED_LOGS[getattr(item, "first_app_log", 0):]])
        except Exception:  # noqa: BLE001 - a log of a failure must never hide the failure
            pass
    if report.failed and report.when == "call":
        # what the page showed and what the browser saw, now: the fixtures'
        # teardown stops the test's server first (an app_url set up after
        # the page is torn down before it), and a picture taken then shows
        # every widget disabled, as on a lost connection
        save_failed_page(item)
    return report


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    request.node.page_journal = (pg, Journal().attach(pg))
    yield pg
    save_failed_page(request.node)   # when the hook could not (a page fixture's own failure)
    context.close()


def save_failed_page(item) -> None:
    """Once per failed test: its page as a picture (FAILED-<name>.png) and
    its browser journal (FAILED-<name>.browser.txt), while the test's
    server still runs."""
    held = getattr(item, "page_journal", None)
    if held is None or not getattr(item, "failed_call", False) or getattr(item, "page_saved", False):
        return
    item.page_saved = True
    pg, journal = held
    save_browser_journal(item.name, journal, pg)
    try:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / f"FAILED-{item.name}.png"), full_page=True, timeout=10_000)
    except Exception:  # noqa: BLE001 - a picture of a failure must never hide the failure
        pass


def save_browser_journal(name: str, journal: Journal, page=None) -> Path | None:
    """Write what the browser saw (console, connection states, WebSocket
    frames, see tests/browser/journal.py) to tests/artifacts/FAILED-<name>.browser.txt."""
    try:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        target = ARTIFACTS / f"FAILED-{name}.browser.txt"
        target.write_text(journal.text(page), encoding="utf-8")
        return target
    except Exception:  # noqa: BLE001 - a record of a failure must never hide the failure
        return None


def wait_idle(page) -> None:
    """Wait until the Streamlit script has finished its run."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000)


def click_for_a_run(page, target, quiet: float = 0.5, timeout: float = 120.0) -> None:
    """Click ``target`` (a locator) and wait for the run it starts to end:
    until the page has received the server's answer (WebSocket frames, then
    ``quiet`` seconds without one) and the app is idle. The run state alone
    cannot say it: straight after the click the page still shows the last
    run's end (and its texts), and a quick run's start and end can reach
    the page together, so its run state never reads "running". Needs the
    ``page`` fixture's journal (tests/browser/journal.py)."""
    journal = page._cadre_journal
    before = journal.received
    target.click()
    deadline = time.monotonic() + timeout
    while not (journal.received > before and time.monotonic() - journal.last_received >= quiet):
        if time.monotonic() > deadline:
            raise TimeoutError(f"no answer from the server {timeout:.0f} s after the click on {target}")
        page.wait_for_timeout(50)   # lets Playwright deliver the frames' events
    wait_idle(page)


def open_page(page, url: str, path: str = "", query: str = "") -> None:
    """Open a page by its key; the default page (overview) is served at "/" only."""
    path = "" if path == "overview" else path
    page.goto(f"{url}/{path}{('?' + query) if query else ''}")
    page.wait_for_selector('[data-testid="stApp"]')
    wait_idle(page)


# The sign-in form's password field, and the frame's language picker, which
# only a signed-in run (or the demo's open session) renders: one of the two
# is on every page once its run has got past the gate.
PASSWORD_FIELD = 'input[autocomplete="current-password"]'
PAST_THE_GATE = ".st-key-frame_lang"


def sign_in_if_asked(page, name: str, password: str) -> None:
    """On an office's store the app asks to sign in: do so (in any UI
    language) and wait for the page behind the form.

    Decides by what the gate rendered, not by the first heading: the form's
    title arrives before its fields, and a stale heading can stand while the
    next run starts, so a heading alone once let a test go on unsigned."""
    page.wait_for_function(f"""() => document.querySelector('{PASSWORD_FIELD}')
                                     || document.querySelector('{PAST_THE_GATE}')""", timeout=120_000, polling=100)
    wait_idle(page)
    field = page.locator(PASSWORD_FIELD)
    if not field.count():
        return
    page.locator('input[autocomplete="username"]').fill(name)
    field.fill(password)
    page.locator('[data-testid="stFormSubmitButton"] button').click()
    page.wait_for_function(f"""() => !document.querySelector('{PASSWORD_FIELD}')
                                     && document.querySelector('{PAST_THE_GATE}')""", timeout=120_000, polling=100)
    wait_idle(page)


def screenshot(page, name: str) -> Path:
    """Save a full-page PNG under tests/artifacts/ (untracked). The README's
    pictures are made by one explicit command: python -m tests.browser.shots."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# Streamlit draws a dataframe (glide data grid) on a canvas: its rows have no
# element to find by role or test id (the grid's accessible table is fallback
# content inside the canvas, with no box to click). A row is clicked where the
# grid draws it: Streamlit's fixed row height, the header being one row.
GRID_ROW_PX = 35


def click_grid_row(page, grid, row: int, x: float | None = None) -> None:
    """Click data row ``row`` (0-based) of the dataframe ``grid`` (a locator
    of its stDataFrameResizable element), at ``x`` pixels from its left edge
    (default: the selection cell) or in the middle of the row when x < 0."""
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    for _ in range(20):  # a click where the grid is, not where it was while the page still moved
        page.wait_for_timeout(100)
        now = grid.bounding_box()
        if now == box:
            break
        box = now
    left = box["x"] + (15 if x is None else (box["width"] * 0.75 if x < 0 else x))
    page.mouse.click(left, box["y"] + GRID_ROW_PX * (row + 1) + GRID_ROW_PX / 2)
