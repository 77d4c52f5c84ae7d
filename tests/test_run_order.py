"""The order the two test workers take the files in (tests/conftest.py):
the interactive browser tests, the browser sweeps, the longest other files
longest first, then the rest in their own order."""
from __future__ import annotations

from pathlib import Path

from tests.conftest import LONG_FILES, ROOT, pytest_collection_modifyitems


class _Item:
    def __init__(self, rel: str):
        self.fspath = ROOT / rel
        self.markers = []

    def add_marker(self, marker):
        self.markers.append(marker)


def test_the_long_files_exist():
    assert [f for f in LONG_FILES if not (ROOT / f).is_file()] == []


def test_browser_first_then_sweeps_then_the_long_files_longest_first():
    rels = ["tests/cadre/test_a.py", LONG_FILES[1], "tests/browser/test_viewer_browser.py",
            "tests/pages/test_b.py", LONG_FILES[0], "tests/browser/test_whatif_browser.py"]
    items = [_Item(r) for r in rels]
    pytest_collection_modifyitems(None, items)
    order = [Path(i.fspath).relative_to(ROOT).as_posix() for i in items]
    assert order == ["tests/browser/test_whatif_browser.py", "tests/browser/test_viewer_browser.py",
                     LONG_FILES[0], LONG_FILES[1], "tests/cadre/test_a.py", "tests/pages/test_b.py"]
    groups = [i.markers[0].kwargs.get("name") or i.markers[0].args[0] for i in items]
    assert groups[:2] == ["browser", "browser-sweeps"] and groups[2] == LONG_FILES[0]

