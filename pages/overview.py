"""Overview page: the chosen period's headline figures."""
import streamlit as st

from cadre import figures, overview
from cadre.charts import overview as charts
from cadre.ui import cached, frame, pack_button, widgets

ctx = frame.context()
widgets.page_header(ctx, "nav.overview")

head = cached.run(ctx, "headline", ctx.period) if ctx.period else None
if head is None:
    widgets.notice(ctx, "overview.no_data")
    st.stop()

if ctx.section:  # every figure below follows the scope; the movements say they do not
    dist = cached.run(ctx, "distribution", ctx.period, ctx.section)
    heads = cached.run(ctx, "structure_tables", head["date"], ctx.section, False)["headline"]
    head = overview.in_scope(head, dist, int(heads["headcount"].iloc[0]) if len(heads) else None)
top_grade, top_n = next(iter(head["grades"].items()))
widgets.metric_row([
    widgets.fig(ctx, "headcount", head["headcount"]),
    widgets.fig(ctx, "assessed", head["assessed"]),
    widgets.fig(ctx, "mean", head["mean"]),
    widgets.fig(ctx, "top_grade", top_n, grade=ctx.md(top_grade)),
])
if ctx.section and not head["assessed"]:
    widgets.notice(ctx, "overview.section_not_assessed", section=ctx.md(ctx.section))

fig = cached.figure(ctx, "overview_grades", (ctx.period, ctx.section, ctx.lang, ctx.projector),
                    lambda: charts.grade_counts(head["grades"], head["official_grades"], ctx.lang, ctx.projector))
widgets.chart(ctx, fig, key="overview_grades", file_name=f"grades-{ctx.period}")

flags = [ctx.t("overview.flag.egalitarian", section=ctx.md(s)) for s in head["egalitarian"]]
flags += [ctx.t("overview.flag.turn_taking", section=ctx.md(s)) for s in head["turn_taking"]]
if not ctx.projector:
    st.subheader(ctx.t("overview.flags"))
    for flag in flags:
        st.warning(flag, icon=":material/flag:")
    if not flags:
        st.success(ctx.t("overview.no_flags"), icon=":material/check_circle:")

    mv = head["movements"]
    st.subheader(ctx.t("overview.movements", year=mv["year"]))
    if ctx.section:
        st.caption(ctx.t("leader.overview.movements_office"))
    widgets.metric_row([widgets.fig(ctx, k, mv[k]) for k in ("promotions", "rotations", "hires", "exits",
                                                              "new_middle_cadres")] + [
        widgets.fig(ctx, "sections_head_changed", None, shown=figures.of(
            "sections_head_changed", mv["sections_head_changed"], mv["sections"], ctx.lang))])
    st.subheader(ctx.t("overview.pack"))
    pack_button.render(ctx)
