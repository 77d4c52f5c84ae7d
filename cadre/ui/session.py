"""Who is asking: the sign-in gate, the current user, sign-out and expiry.

Outside the demo the app requires sign-in. A store that holds the demo
office and has no users yet runs without it, clearly labelled, the session
acting as the local administrator (``LOCAL_ADMIN``); once the store has a
user, or holds an office's own data, every new session signs in.

A signed-in session lives in Streamlit's session state (one browser tab's
connection): it ends on sign-out, after ``session_idle_minutes`` without a
run (checked at the next click), when the user is disabled, or when the tab
is reloaded. The user's role is read from the store at every run, so a
changed role or a disabled account takes effect at the next click.
"""
from __future__ import annotations

import datetime as dt

import streamlit as st

from cadre import audit, batches, i18n, users
from cadre.access import LOCAL_ADMIN, NOBODY, User

USER_KEY = "_cadre_user"       # the User of this session
SEEN_KEY = "_cadre_seen"       # the time of its last run
DEMO_KEY = "_cadre_demo_anon"  # True: began on the demo store without users (no sign-in)
FLASH_KEY = "_cadre_auth_flash"
FIRST_ADMIN = "user add 王主任 --role admin"  # the README's example name: the screen says to replace it


def first_admin_command() -> str:
    """The command that creates the first administrator, as typed on this
    server from any folder: this checkout's wrapper, this store, this account."""
    from cadre.cli_common import command_line
    return command_line(FIRST_ADMIN)


def current_user() -> User:
    """The user the gate let in this run (``NOBODY``, who may do nothing, before it)."""
    return st.session_state.get(USER_KEY, NOBODY)


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def resolve(con, settings: dict) -> User | None:
    """This session's user, or None when it must sign in. Renders nothing;
    ends an idle or disabled session (with a message for the sign-in form)."""
    ss = st.session_state
    now = _now()
    if ss.get(DEMO_KEY):
        if not users.has_users(con):
            ss[USER_KEY] = LOCAL_ADMIN
            return LOCAL_ADMIN
        _forget()
    user = ss.get(USER_KEY)
    if user is None or user == NOBODY:
        if not users.has_users(con) and batches.holds_demo(con):
            ss[DEMO_KEY] = True
            ss[USER_KEY] = LOCAL_ADMIN
            return LOCAL_ADMIN
        return None
    idle = settings.get("session_idle_minutes", 30)
    if users.expired(ss.get(SEEN_KEY), now, idle):
        audit.record(con, user, "session_expired", {"idle_minutes": idle})
        _forget(("auth.login.expired", {"minutes": idle}))
        return None
    fresh = users.active_user(con, user.name)
    if fresh is None:
        _forget(("auth.login.disabled", {}))
        return None
    ss[USER_KEY] = fresh
    ss[SEEN_KEY] = now
    return fresh


def _forget(flash: tuple | None = None) -> None:
    for key in (USER_KEY, SEEN_KEY, DEMO_KEY):
        st.session_state.pop(key, None)
    if flash:
        st.session_state[FLASH_KEY] = flash


def gate(con, settings: dict, lang: str) -> User:
    """The user of this run; without one, the sign-in form, and the run stops."""
    user = resolve(con, settings)
    if user is None:
        _sign_in(con, lang)
        st.stop()
    return user


def _sign_in(con, lang: str) -> None:
    t = lambda key, **p: i18n.t(key, lang, **p)  # noqa: E731 - local translator
    _, middle, _ = st.columns([1, 2, 1])
    with middle:
        st.title(t("auth.login.title"))
        flash = st.session_state.pop(FLASH_KEY, None)
        if flash:
            st.info(t(flash[0], **flash[1]), icon=":material/info:")
        if not users.has_users(con):
            st.warning(t("auth.login.no_users"), icon=":material/person_off:")
            st.write(t("auth.login.no_users_help"))
            st.code(first_admin_command(), language="bash")
            return
        st.caption(t("auth.login.intro"))
        with st.form("auth_login", clear_on_submit=True):
            name = st.text_input(t("auth.login.name"), key="auth_name", autocomplete="username", max_chars=64)
            password = st.text_input(t("auth.login.password"), key="auth_password", type="password",
                                     autocomplete="current-password", max_chars=users.MAX_PASSWORD)
            submitted = st.form_submit_button(t("auth.login.submit"), type="primary", icon=":material/login:")
        if not submitted:
            return
        result = users.authenticate(con, name, password)
        if result.ok:
            st.session_state[USER_KEY] = result.user
            st.session_state[SEEN_KEY] = _now()
            st.session_state.pop(DEMO_KEY, None)
            st.rerun()
        elif result.reason == "locked":
            until = result.locked_until.strftime("%H:%M")
            st.error(t("auth.login.locked", n=users.MAX_FAILURES, until=until), icon=":material/lock:")
        elif result.reason == "disabled":
            st.error(t("auth.login.disabled"), icon=":material/person_off:")
        else:
            st.error(t("auth.login.wrong"), icon=":material/error:")


def sidebar(con, user: User, lang: str, holds_demo: bool) -> None:
    """Who is signed in and the sign-out button; in the demo, the label
    saying no sign-in is needed (``holds_demo``: the frame's reading of the
    store in this run)."""
    sb = st.sidebar
    if st.session_state.get(DEMO_KEY):
        if holds_demo:
            sb.caption(i18n.t("auth.sidebar.demo", lang))
        else:
            sb.warning(i18n.t("auth.sidebar.anonymous_real", lang), icon=":material/warning:")
        return
    role = i18n.t(f"auth.role.{user.role}", lang)
    sb.text(i18n.t("auth.sidebar.user", lang, name=user.name, role=role))  # a name is text, never Markdown
    sb.button(i18n.t("auth.sidebar.logout", lang), key="auth_logout", icon=":material/logout:",
              on_click=_logout, args=(con, user))


def _logout(con, user: User) -> None:
    audit.record(con, user, "logout", {})
    _forget(("auth.login.logged_out", {}))


def refuse(user: User, lang: str) -> None:
    """A page the user's role may not see: a refusal, and the run stops."""
    st.title(i18n.t("auth.refused.title", lang))
    st.error(i18n.t("auth.refused.page", lang, role=i18n.t(f"auth.role.{user.role}", lang)), icon=":material/block:")
    st.stop()
