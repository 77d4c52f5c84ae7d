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
