"""The 后备与推荐 page under AppTest on the demo office: the board with its
flag, a post's successors, candidates compared, a recommendation recorded
and closed from the page (audited), the downloads of the closed one, the
talent matrix; a viewer sees the board masked, no list of people, no
recommend form and no downloads."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from cadre import audit, i18n, store, users
from cadre.access import User
from cadre.succession import recommend

from ..conftest import ROOT


@pytest.fixture
def app(demo_db, monkeypatch):
    monkeypatch.setenv("CADRE_DB", str(demo_db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    assert not at.exception, at.exception
    at.switch_page("pages/succession.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_the_board_compares_recommends_closes_and_offers_the_downloads(app, demo_db):
    at = app
    assert at.title[0].value == i18n.t("nav.succession")
    board = at.dataframe[0].value
    assert i18n.t("succession.col.gap_year") in board.columns
    assert any("⚠" in str(v) for v in board[i18n.t("succession.col.flag")])
    assert at.warning and "没有现可接任" in at.warning[0].value
    # 秘书一科科长: its reserve successor, blocked by too few 优秀 grades until the next year end
    labels = at.selectbox(key="succession_post").options
    at.selectbox(key="succession_post").set_value(labels.index("秘书一科科长")).run()
    assert not at.exception, [e.message for e in at.exception]
    successors = at.dataframe[1].value
    assert "YZ0063" in set(successors[i18n.t("col.person_id")])
    post = labels.index('秘书一科科长')
    compare = at.multiselect(key=f"succession_compare_{post}")
    # the choices are the post's successors, not the office's whole roster: others are found by a search
    assert [o[-7:-1] for o in compare.options] == ["YZ0063"], compare.options
    for pid in ("YZ0041", "YZ0015"):
        at.text_input(key=f"succession_find_{post}").input(pid).run()
        assert not at.exception, [e.message for e in at.exception]
        assert any(pid in o for o in at.multiselect(key=f"succession_compare_{post}").options)
        assert "找到 1 人" in " ".join(c.value for c in at.caption)
        compare = at.multiselect(key=f"succession_compare_{post}")
        compare.set_value([*compare.value, pid]).run()
    compare = at.multiselect(key=f"succession_compare_{post}")
    assert compare.value == ["YZ0063", "YZ0041", "YZ0015"]   # a search does not drop whom it found earlier
    at.text_input(key=f"succession_find_{post}").input("<b>无此人</b>").run()
    assert "没有姓名或编号含「&#60;b&#62;无此人&#60;&#47;b&#62;」" in " ".join(c.value for c in at.caption)
    assert at.multiselect(key=f"succession_compare_{post}").value == ["YZ0063", "YZ0041", "YZ0015"]
    assert not at.exception, [e.message for e in at.exception]
    table = at.table[0].value
    assert len(table.columns) == 4 and i18n.t("succession.fig.last_grades") in set(table.iloc[:, 0])
    links = [e for e in at.get("page_link") if "档案" in e.proto.label]
    assert len(links) == 3 and all(e.proto.page.endswith("person") or "person" in e.proto.page for e in links)
    at.selectbox(key="succession_recommend_person").set_value("YZ0063")
    at.text_area(key="succession_recommend_reason").input("工作扎实，群众公认")
    submit = [b for b in at.get("button") if b.label == i18n.t("succession.page.recommend.save")]
    assert submit
    submit[0].click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.success and "已记录推荐" in at.success[0].value
    at.button(key="succession_close").click().run()
    assert not at.exception, [e.message for e in at.exception]
    keys = {b.proto.id for b in at.get("download_button")}
    con = store.connect(demo_db)
    try:
        rows = recommend.listing(con)
        assert rows.iloc[0]["status"] == "closed" and rows.iloc[0]["person_id"] == "YZ0063"
        kinds = audit.entries(con)["kind"].tolist()
    finally:
        con.close()
    assert kinds.count("recommend_add") == 1 and kinds.count("recommend_close") == 1
    labels = [b.proto.label for b in at.get("download_button")]
    for key in ("list_xlsx", "list_pdf", "lrmx", "form_pdf", "zip"):
        assert i18n.t(f"succession.page.download.{key}") in labels, (key, labels)
    assert keys
    # the talent matrix
    assert at.get("plotly_chart")


def test_a_viewer_sees_the_board_masked_and_no_people_no_form_no_downloads(demo_db, monkeypatch):
    con = store.connect(demo_db)
    try:
        for name, role in (("admin1", "admin"), ("viewer1", "viewer")):
            users.add(con, name, role, "office-password", User("setup", "admin"))
    finally:
        con.close()
    monkeypatch.setenv("CADRE_DB", str(demo_db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    at.text_input(key="auth_name").input("viewer1")
    at.text_input(key="auth_password").input("office-password")
    at.button[0].click()
    at.run()
    at.switch_page("pages/succession.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    frames = at.dataframe
    assert len(frames) == 1   # the board only: no successors list, no comparison
    holders = frames[0].value[i18n.t("succession.col.holders")]
    assert all("*" in h or h == i18n.t("succession.vacant") for h in holders)
    assert not at.get("download_button")
    assert not [b for b in at.get("button") if b.label == i18n.t("succession.page.recommend.save")]
