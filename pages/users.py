"""Users (administrators): who may sign in and with which role; add a user,
set a new password (which also unlocks), change a role, disable or enable.
The command line does the same (`bash scripts/cadre user …`)."""
import streamlit as st

from cadre.ui import frame, users_admin, widgets

ctx = frame.context(needs="manage_users", scoped=False)
widgets.page_header(ctx, "nav.users")
st.caption(ctx.t("users.intro"))
users_admin.render(ctx)
