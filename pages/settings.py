"""Settings (admin): the rank ladder and posts, weights and maxima, grade
rules, cadre rules (rotation, retirement, structure targets), promotion rules
per step and the bonus; each group saved on its own, with restore-defaults."""
import streamlit as st

from cadre.settings_form import GROUPS
from cadre.ui import frame, settings_editors, widgets

ctx = frame.context(needs="edit_settings")
widgets.page_header(ctx, "nav.settings")
st.caption(ctx.t("settings_page.intro"))
tabs = st.tabs([ctx.t(f"settings_page.group.{group}") for group in GROUPS])
for tab, group in zip(tabs, GROUPS):
    with tab:
        st.caption(ctx.t(f"settings_page.group.{group}.help"))
        if group == "promotion":
            settings_editors.render_preset(ctx)
        settings_editors.render_group(ctx, group)
