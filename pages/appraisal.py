"""Appraisal meeting: the period's grades calibrated under the quota with
live guides, commendation, the close that writes the official grades, and
the public notice and meeting record files."""
import streamlit as st

from cadre.ui import appraisal as view
from cadre.ui import frame, widgets

ctx = frame.context(needs="view_appraisal")  # it lists every person: not for viewers
widgets.page_header(ctx, "nav.appraisal")
if not ctx.period:
    widgets.notice(ctx, "appraisal.no_period")
    st.stop()

view.show_flash()
state = view.load(ctx)
if state is None:
    view.start_panel(ctx)
    st.stop()

view.status_line(ctx, state)
tabs = st.tabs([ctx.t("appraisal.tab.calibrate"), ctx.t("appraisal.tab.commend"), ctx.t("appraisal.tab.close")])
with tabs[0]:
    view.guides(ctx, state)
    view.bins(ctx, state)
    view.move_card(ctx, state)
with tabs[1]:
    view.tick_card(ctx, state)
    view.commend_tables(ctx, state)
with tabs[2]:
    view.close_card(ctx, state)
    view.downloads(ctx, state)
    view.record(ctx, state)
