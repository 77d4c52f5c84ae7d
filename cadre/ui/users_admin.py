"""The users page's forms: the users table, adding a user, and changing one
(new password, role, disable or enable). Every change goes through
``cadre.users``, which checks it and writes the audit log."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from cadre import i18n, users
from cadre.access import ROLES
from cadre.ui.context import Context

FLASH_KEY = "users_flash"
ACTIONS = ("passwd", "role", "disable", "enable")


def table_frame(ctx: Context) -> pd.DataFrame:
    """The users as the page shows them (never a hash, no raw timestamps)."""
    frame = users.list_users(ctx.con)
    now = pd.Timestamp.now()

    def when(value):
        return "" if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d %H:%M")

    def state(row):
        text = ctx.t("auth.state.disabled" if row["disabled"] else "auth.state.active")
        locked = row["locked_until"]
        if locked is not None and not pd.isna(locked) and pd.Timestamp(locked) > now:
            text += " · " + ctx.t("auth.state.locked", until=when(locked))
        return text

    return pd.DataFrame({
        "user_name": frame["name"].astype(object),
        "user_role": frame["role"].map(lambda r: ctx.t(f"auth.role.{r}")),
        "user_state": [state(r) for r in frame.to_dict("records")],
        "user_last_login": [when(v) or ctx.t("auth.state.never") for v in frame["last_login"]],
    })


def _flash(ctx: Context) -> None:
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash:
        st.success(ctx.t(flash[0], **flash[1]), icon=":material/check_circle:")


def _refused(ctx: Context, exc: users.UserError) -> None:
    st.error(i18n.t(exc.key, ctx.lang, **exc.params), icon=":material/error:")


def _role_label(ctx: Context):
    return lambda r: ctx.t(f"auth.role.{r}")


def add_form(ctx: Context) -> None:
    st.subheader(ctx.t("users.add.title"))
    with st.form("users_add", clear_on_submit=True):
        name = st.text_input(ctx.t("auth.login.name"), key="users_add_name", max_chars=64)
        role = st.selectbox(ctx.t("users.role"), ROLES, index=2, key="users_add_role", format_func=_role_label(ctx))
        first = st.text_input(ctx.t("auth.login.password"), type="password", key="users_add_pw1",
                              autocomplete="new-password")
        second = st.text_input(ctx.t("users.password_again"), type="password", key="users_add_pw2",
                               autocomplete="new-password")
        submitted = st.form_submit_button(ctx.t("users.add.submit"), type="primary", icon=":material/person_add:")
    if not submitted:
        return
    if first != second:
        st.error(ctx.t("auth.cli.mismatch"), icon=":material/error:")
        return
    try:
        users.add(ctx.con, name.strip(), role, first, ctx.user)
    except users.UserError as exc:
        _refused(ctx, exc)
        return
    st.session_state[FLASH_KEY] = ("auth.cli.added", {"name": name.strip(), "role": ctx.t(f"auth.role.{role}")})
    st.rerun()


def change_form(ctx: Context, names: list[str]) -> None:
    st.subheader(ctx.t("users.change.title"))
    if not names:
        return
    who = st.selectbox(ctx.t("auth.login.name"), names, key="users_change_name")
    action = st.segmented_control(ctx.t("users.change.action"), ACTIONS, key="users_change_action", required=True,
                                  default="passwd", format_func=lambda a: ctx.t(f"users.action.{a}"))
    with st.form("users_change", clear_on_submit=True):
        if action == "passwd":
            first = st.text_input(ctx.t("auth.login.password"), type="password", key="users_change_pw1",
                                  autocomplete="new-password")
            second = st.text_input(ctx.t("users.password_again"), type="password", key="users_change_pw2",
                                   autocomplete="new-password")
        elif action == "role":
            role = st.selectbox(ctx.t("users.role"), ROLES, key="users_change_role", format_func=_role_label(ctx))
        submitted = st.form_submit_button(ctx.t(f"users.action.{action}"), type="primary")
    if not submitted:
        return
    try:
        if action == "passwd":
            if first != second:
                st.error(ctx.t("auth.cli.mismatch"), icon=":material/error:")
                return
            users.set_password(ctx.con, who, first, ctx.user)
            flash = ("auth.cli.password_set", {"name": who})
        elif action == "role":
            users.set_role(ctx.con, who, role, ctx.user)
            flash = ("auth.cli.role_set", {"name": who, "role": ctx.t(f"auth.role.{role}")})
        else:
            users.set_disabled(ctx.con, who, action == "disable", ctx.user)
            flash = (f"auth.cli.{action}d", {"name": who})
    except users.UserError as exc:
        _refused(ctx, exc)
        return
    st.session_state[FLASH_KEY] = flash
    st.rerun()


def render(ctx: Context) -> None:
    from cadre.ui import widgets

    _flash(ctx)
    shown = table_frame(ctx)
    widgets.table(ctx, shown, key="users_list", file_name="users")
    left, right = st.columns(2, gap="large")
    with left:
        add_form(ctx)
    with right:
        change_form(ctx, shown["user_name"].tolist())
