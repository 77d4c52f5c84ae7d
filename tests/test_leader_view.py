"""What a leader sees (issue 10, part B): labels, raw values, scope, unknowns,
languages, data shown as text. Pages run under AppTest through the router."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


def _open(db, monkeypatch, page: str, **query) -> AppTest:
    monkeypatch.setenv("CADRE_DB", str(db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _headers(at) -> list[list[str]]:
    return [list(df.value.columns) for df in at.dataframe]


def test_places_in_an_order_are_not_called_ranks(demo_db, monkeypatch):
    """名次 (a place in the order) is not 职级 (a step of the rank ladder)."""
    at = _open(demo_db, monkeypatch, "pages/distribution.py")
    mismatch = [h for h in _headers(at) if "计算等次" in h and "评定等次" in h and "全办名次" in h]
    assert mismatch, _headers(at)
    assert not [h for h in _headers(at) if "职级" in h]
    at = _open(demo_db, monkeypatch, "pages/whatif.py")
    at.slider(key="whatif_w_3").set_value(60.0).run()  # 绩 up: people move
    for view in ("grades", "table", "stability"):
        at.segmented_control(key="whatif_view").set_value(view).run()
        heads = _headers(at)
        assert heads and not [h for h in heads if "职级" in h], (view, heads)
        assert [h for h in heads if "名次" in h], (view, heads)
    en = _open(demo_db, monkeypatch, "pages/whatif.py", lang="en")
    en.segmented_control(key="whatif_view").set_value("table").run()
    assert [h for h in _headers(en) if "Place" in h and "Rank" not in h]
