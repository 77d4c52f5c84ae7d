"""A failed browser test keeps the Streamlit server's log beside its
screenshot (issue 20, item 7): a page that hangs in one full run in six is
found from what the server said at the time, and where its threads were
waiting, not from a rerun that passes."""
from __future__ import annotations

pytest_plugins = ["pytester"]

INNER = '''
import os

import pytest

from tests.browser.conftest import running_app


@pytest.fixture
def app(tmp_path):
    store = tmp_path / "store.duckdb"
    store.write_bytes(b"")   # the server answers its health check before any script run
    with running_app(store, tmp_path) as url:
        yield url


def test_fails_while_an_app_runs(app):
    with open(os.environ["INNER_URL_FILE"], "w") as f:
        f.write(app)
    assert False, "a failure"
'''


def test_a_failed_test_keeps_the_server_log(pytester, monkeypatch, tmp_path):
    from tests.browser import conftest
    monkeypatch.setattr(conftest, "ARTIFACTS", tmp_path / "artifacts")
    monkeypatch.setenv("INNER_URL_FILE", str(tmp_path / "url"))
    pytester.makepyfile(test_inner=INNER)
    result = pytester.runpytest_inprocess("-p", "tests.browser.conftest", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    kept = tmp_path / "artifacts" / "FAILED-test_fails_while_an_app_runs.log"
    assert kept.exists(), sorted(p.name for p in (tmp_path / "artifacts").glob("*"))
    url = (tmp_path / "url").read_text()
    text = kept.read_text()
    assert url.rsplit(":", 1)[1] in text   # the server's own start-up lines, with its port
    # and, the server still running when the test failed, where its threads were
    assert "most recent call first" in text and "threading.py" in text, text[-2000:]


INNER_PAGE = '''
import os

import pytest

from tests.browser.conftest import running_app


@pytest.fixture
def app(tmp_path):
    store = tmp_path / "store.duckdb"
    store.write_bytes(b"")
    with running_app(store, tmp_path) as url:
        yield url


def test_fails_with_a_page_open(page, app):   # the app set up last: torn down first
    page.goto(app)
    page.wait_for_selector('[data-testid="stApp"][data-test-connection-state="CONNECTED"]')
    page.evaluate("console.warn('a word from the page')")
    assert False, "a failure"
'''


def test_a_failed_test_keeps_what_the_browser_saw(pytester, monkeypatch, tmp_path):
    """Beside the server's log, the browser's side: its console, the
    connection's states and the WebSocket's frames, and the page's state at
    the moment of the failure."""
    from tests.browser.conftest import ROOT
    # in a process of its own: this worker may already drive a browser with
    # Playwright's sync API, and a second one in the same process is refused
    monkeypatch.setenv("CADRE_TEST_ARTIFACTS", str(tmp_path / "artifacts"))
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    pytester.makepyfile(test_inner=INNER_PAGE)
    result = pytester.runpytest_subprocess("-p", "tests.browser.conftest", "-p", "no:cacheprovider",
                                           "-p", "no:xdist", "-p", "no:randomly")
    result.assert_outcomes(failed=1)
    kept = tmp_path / "artifacts" / "FAILED-test_fails_with_a_page_open.browser.txt"
    assert kept.exists(), sorted(p.name for p in (tmp_path / "artifacts").glob("*"))
    text = kept.read_text()
    assert "websocket opened: ws://127.0.0.1:" in text, text
    assert "[journal] data-test-connection-state = CONNECTED" in text, text
    assert "console.warning: a word from the page" in text, text
    assert "frame received" in text and "frame sent" in text, text
    # saved while the server ran: the page was still connected (saved at the
    # page's teardown, after the app's, it showed every widget disabled)
    assert "state at the end: {" in text and "'connectionState': 'CONNECTED'" in text, text
    assert (tmp_path / "artifacts" / "FAILED-test_fails_with_a_page_open.png").exists()


def test_the_journal_sees_the_connection_go(browser, demo_store_template, tmp_path):
    """When the server goes away the journal records the WebSocket's close
    and the page leaving CONNECTED: what a greyed-out page would show."""
    from tests.browser.conftest import running_app, wait_idle
    from tests.browser.journal import Journal
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        page = context.new_page()
        journal = Journal().attach(page)
        with running_app(demo_store_template, tmp_path) as url:
            page.goto(url)
            wait_idle(page)
            assert "[journal] data-test-connection-state = CONNECTED" in journal.text()
        page.wait_for_selector('[data-testid="stApp"]:not([data-test-connection-state="CONNECTED"])',
                               timeout=30_000)
        text = journal.text(page)
        opened = text.index("websocket opened")
        closed = text.index("websocket closed")
        assert opened < closed
        assert "[journal] data-test-connection-state = PINGING_SERVER" in text[closed:] \
            or "[journal] data-test-connection-state = DISCONNECTED_FOREVER" in text[closed:], text[-3000:]
    finally:
        context.close()
