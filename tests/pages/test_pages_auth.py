"""The sign-in gate and the roles, through the router under AppTest: an
office's store needs a sign-in, roles decide what each page shows, an idle
session ends, and the acts are in the audit log."""
from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from cadre import audit, batches, store, users
from cadre.access import User
from cadre.ui import session

from tests.conftest import ROOT

APP = str(ROOT / "app.py")
ADMIN = User("setup", "admin")
PASSWORD = "office-password"


@pytest.fixture(scope="module")
def office_template(demo_store_template, tmp_path_factory):
    """The demo files loaded as an office's own upload: a store that is not
    the demo, with an admin, a leader and a viewer."""
    path = tmp_path_factory.mktemp("office") / "office.duckdb"
    shutil.copy(demo_store_template, path)
    con = store.connect(path)
    result = batches.ingest(con, [batches.file_entry(batches.DEMO_WORKBOOK)])
    assert result.ok and not batches.holds_demo(con)
    for name, role in (("admin1", "admin"), ("leader1", "leader"), ("viewer1", "viewer")):
        users.add(con, name, role, PASSWORD, ADMIN)
    con.close()
    return path


@pytest.fixture
def office_db(office_template, tmp_path):
    path = tmp_path / "office.duckdb"
    shutil.copy(office_template, path)
    return path


def _app(db, monkeypatch, **params) -> AppTest:
    monkeypatch.setenv("CADRE_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _sign_in(at: AppTest, name: str, password: str = PASSWORD) -> AppTest:
    at.text_input(key="auth_name").input(name)
    at.text_input(key="auth_password").input(password)
    at.button[0].click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _texts(at: AppTest) -> str:
    return " ".join(str(e.value) for kind in ("title", "error", "info", "warning", "caption", "markdown", "text", "code")
                    for e in getattr(at, kind))


def test_an_office_store_without_users_says_how_to_create_the_first_admin(demo_store_template, tmp_path, monkeypatch):
    db = tmp_path / "s.duckdb"
    shutil.copy(demo_store_template, db)
    con = store.connect(db)
    batches.ingest(con, [batches.file_entry(batches.DEMO_WORKBOOK)])
    con.close()
    at = _app(db, monkeypatch)
    assert session.first_admin_command() in _texts(at)
    assert f"scripts/cadre user add 王主任 --role admin --db {db.resolve()}" in _texts(at)  # this store, as typed
    assert not at.metric and not at.text_input  # no figures, and no form nobody could use


def test_the_demo_store_with_a_user_needs_a_sign_in(demo_db, monkeypatch):
    con = store.connect(demo_db)
    users.add(con, "admin1", "admin", PASSWORD, ADMIN)
    con.close()
    at = _app(demo_db, monkeypatch)
    assert at.text_input(key="auth_password") is not None and not at.metric


def test_the_demo_store_without_users_runs_without_sign_in_and_says_so(demo_db, monkeypatch):
    at = _app(demo_db, monkeypatch)
    assert at.metric and "演示模式" in " ".join(c.value for c in at.sidebar.caption)


def test_sign_in_wrong_then_right(office_db, monkeypatch):
    at = _app(office_db, monkeypatch)
    assert not at.metric and at.title[0].value == "登录"
    _sign_in(at, "admin1", "wrong-password")
    assert "用户名或密码不正确" in at.error[0].value and not at.metric
    _sign_in(at, "admin1")
    assert at.metric, "the overview shows after signing in"
    assert "admin1" in " ".join(t.value for t in at.sidebar.text)
    # Sign out: the form again, and both acts are in the log.
    at.sidebar.button(key="auth_logout").click()
    at.run()
    assert at.text_input(key="auth_password") is not None and not at.metric
    con = store.connect(office_db)
    try:
        kinds = audit.entries(con, user="admin1")["kind"].tolist()
    finally:
        con.close()
    assert kinds == ["logout", "login", "login_failed"]


@pytest.mark.parametrize("page", ["pages/person.py", "pages/data.py", "pages/settings.py", "pages/audit.py",
                                  "pages/users.py", "pages/appraisal.py"])
def test_a_viewer_is_refused_pages_by_address(office_db, monkeypatch, page):
    at = _sign_in(_app(office_db, monkeypatch), "viewer1")
    at.switch_page(page)
    at.query_params["person"] = "YZ0001"
    at.run()
    assert not at.exception
    assert at.title[0].value == "无权查看"
    assert "查看者" in at.error[0].value
    assert not at.dataframe and not at.metric and not at.header
    assert "person_pick" not in [getattr(e, "key", None) for e in at.selectbox]


def test_a_viewer_sees_figures_with_names_masked(office_db, monkeypatch):
    at = _sign_in(_app(office_db, monkeypatch), "viewer1")
    mask = at.toggle(key="frame_mask")
    assert mask.value is True and mask.disabled
    at.switch_page("pages/distribution.py")
    at.run()
    assert not at.exception and at.metric
    names = {"史建", "金春卫", "付永庆"}
    frames, captions, downloads = [], [], list(at.get("download_button"))
    for tab in ("等次与名额", "人员名单"):   # lazy tabs: each table's tab opened in turn
        at.session_state["dist_tab"] = tab
        at.run()
        frames += at.dataframe
        captions += [c.value for c in at.caption]
        downloads += at.get("download_button")
    assert frames
    shown = " ".join(df.value.to_string() for df in frames)
    assert not any(n in shown for n in names)
    assert not downloads, "viewers do not export"
    # No list of people at all (the 人员名单 tab showed every 编号): a line says why.
    assert not [df for df in frames if {"编号", "姓名"} & set(df.value.columns)]
    assert "YZ00" not in shown
    assert "人员名单仅对领导和管理员显示。" in captions


def test_a_leader_sees_the_lists_of_people(office_db, monkeypatch):
    at = _sign_in(_app(office_db, monkeypatch), "leader1")
    at.switch_page("pages/distribution.py")
    at.session_state["dist_tab"] = "人员名单"
    at.run()
    people = [df.value for df in at.dataframe if "编号" in df.value.columns]
    assert people and len(people[-1]) > 50 and people[-1]["编号"].str.startswith("YZ").all()


def test_a_leader_sees_profiles_but_not_the_audit_log(office_db, monkeypatch):
    at = _sign_in(_app(office_db, monkeypatch), "leader1")
    assert at.toggle(key="frame_mask").disabled is False
    at.switch_page("pages/person.py")
    at.query_params["person"] = "YZ0001"
    at.run()
    assert at.title[0].value != "无权查看" and at.header and "史建" in at.header[0].value
    at.switch_page("pages/audit.py")
    at.run()
    assert at.title[0].value == "无权查看"


def test_an_idle_session_ends(office_db, monkeypatch):
    at = _sign_in(_app(office_db, monkeypatch), "admin1")
    assert at.metric
    at.session_state[session.SEEN_KEY] = dt.datetime.now() - dt.timedelta(minutes=31)
    at.run()
    assert not at.metric and "30 分钟未操作" in at.info[0].value
    con = store.connect(office_db)
    try:
        assert audit.entries(con, kinds=["session_expired"])["user_name"].tolist() == ["admin1"]
    finally:
        con.close()


def test_a_disabled_user_is_signed_out_at_the_next_click(office_db, monkeypatch):
    at = _sign_in(_app(office_db, monkeypatch), "leader1")
    assert at.metric
    con = store.connect(office_db)
    users.set_disabled(con, "leader1", True, ADMIN)
    con.close()
    at.run()
    assert not at.metric and at.text_input(key="auth_password") is not None


def test_the_admin_reads_the_audit_log_filtered(office_db, monkeypatch):
    at = _sign_in(_app(office_db, monkeypatch), "admin1")
    at.switch_page("pages/audit.py")
    at.run()
    assert not at.exception and at.title[0].value == "审计日志"
    table = at.dataframe[0].value
    assert {"添加用户", "登录"} <= set(table["类型"])
    # Read-only while the log is on screen (checked after the filter below
    # left no table at all, this could not fail).
    assert not at.get("data_editor"), "the log is read-only"
    at.selectbox(key="audit_user").select("admin1").run()
    assert set(at.dataframe[0].value["用户"]) == {"admin1"}
    assert not at.get("data_editor")
    at.multiselect(key="audit_kinds").select("user_add").run()
    assert not at.dataframe and at.info  # admin1 added no user: nothing matches
    # The check can fail: the same query finds the settings page's editable tables.
    at.switch_page("pages/settings.py")
    at.run()
    assert not at.exception and at.get("data_editor")


def test_a_settings_change_is_audited(office_db, monkeypatch):
    at = _sign_in(_app(office_db, monkeypatch), "admin1")
    at.switch_page("pages/settings.py")
    at.run()
    at.button(key="settings_restore_bonus").click()
    at.run()
    at.text_input[0].input("某市政府办公室")
    at.button[0].click()  # the first group's save button
    at.run()
    assert not at.exception
    con = store.connect(office_db)
    try:
        entry = audit.entries(con, kinds=["settings_change"])
    finally:
        con.close()
    assert entry["user_name"].tolist() == ["admin1"]
    changed = json.loads(entry["detail"].iloc[0])["changed"]
    assert changed["office_name"] == {"from": "", "to": "某市政府办公室"}


def test_the_admin_adds_and_disables_a_user_on_the_users_page(office_db, monkeypatch):
    at = _sign_in(_app(office_db, monkeypatch), "admin1")
    at.switch_page("pages/users.py")
    at.run()
    assert not at.exception and set(at.dataframe[0].value["用户名"]) == {"admin1", "leader1", "viewer1"}
    at.text_input(key="users_add_name").input("新同事")
    at.selectbox(key="users_add_role").select("leader")
    at.text_input(key="users_add_pw1").input("brand-new-pass")
    at.text_input(key="users_add_pw2").input("brand-new-typo")
    at.button(key="FormSubmitter:users_add-添加").click()
    at.run()
    assert "不一致" in at.error[0].value
    at.text_input(key="users_add_name").input("新同事")
    at.selectbox(key="users_add_role").select("leader")
    at.text_input(key="users_add_pw1").input("brand-new-pass")
    at.text_input(key="users_add_pw2").input("brand-new-pass")
    at.button(key="FormSubmitter:users_add-添加").click()
    at.run()
    assert not at.exception and "新同事" in at.success[0].value
    assert "新同事" in set(at.dataframe[0].value["用户名"])
    # The only admin cannot disable themself.
    at.selectbox(key="users_change_name").select("admin1").run()
    at.segmented_control(key="users_change_action").set_value("disable").run()
    at.button(key="FormSubmitter:users_change-停用").click()
    at.run()
    assert "唯一" in at.error[0].value
    con = store.connect(office_db)
    try:
        assert users.authenticate(con, "新同事", "brand-new-pass").ok
        added = audit.entries(con, kinds=["user_add"], user="admin1")
    finally:
        con.close()
    assert json.loads(added["detail"].iloc[0]) == {"name": "新同事", "role": "leader"}


@pytest.mark.parametrize("page", ["pages/audit.py", "pages/users.py"])
def test_the_users_and_audit_pages_have_no_period_or_scope(office_db, monkeypatch, page):
    """Period and scope mean nothing to the users and the audit log: no
    pickers in the sidebar, no scope line; the choices are kept for the
    next page that uses them."""
    at = _sign_in(_app(office_db, monkeypatch), "admin1")
    at.selectbox(key="frame_section").select_index(1).run()
    chosen = at.selectbox(key="frame_section").value
    at.switch_page(page)
    at.run()
    assert not at.exception
    keys = [getattr(e, "key", None) for e in at.selectbox]
    assert "frame_period" not in keys and "frame_section" not in keys
    assert not [c.value for c in at.caption if "·" in c.value], "no period · scope line"
    at.switch_page("pages/overview.py")
    at.run()
    assert at.selectbox(key="frame_section").value == chosen
    assert any(chosen in c.value for c in at.caption)


def _box_point_modes(at) -> list:
    """The boxpoints of every box trace the page's charts carry."""
    modes = []
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        modes += [t.get("boxpoints") for t in spec.get("data", []) if t.get("type") == "box"]
    return modes


@pytest.mark.parametrize("user, points", [("viewer1", False), ("leader1", True)])
def test_a_viewer_gets_boxes_without_a_point_per_person(office_db, monkeypatch, user, points):
    """Issue 21.6: on a chart too, a viewer gets no per-person mark (the box
    and dimension charts drew every person as a named point)."""
    at = _sign_in(_app(office_db, monkeypatch), user)
    at.switch_page("pages/distribution.py")
    at.run()
    assert not at.exception
    modes = _box_point_modes(at)
    assert modes, "the page draws its boxes"
    assert (all(m is False for m in modes) if not points else "all" in modes), modes


@pytest.mark.parametrize("user, slope", [("viewer1", False), ("leader1", True)])
def test_a_viewer_gets_no_rank_line_per_person_in_the_what_if_lab(office_db, monkeypatch, user, slope):
    """The what-if rank slope draws a named line per person who moves: a
    viewer reads the line that says why instead."""
    at = _sign_in(_app(office_db, monkeypatch), user)
    at.switch_page("pages/whatif.py")
    at.query_params["w"] = "10,20,10,60"   # 绩 counts for more: people move
    at.run()
    assert not at.exception
    hidden = "人员名单仅对领导和管理员显示。" in [c.value for c in at.caption]
    traces = [t for chart in at.get("plotly_chart") for t in json.loads(chart.proto.spec).get("data", [])]
    lines = [t for t in traces if t.get("mode") and "lines" in t.get("mode")]
    assert hidden is not slope and bool(lines) is slope, (hidden, len(lines))
