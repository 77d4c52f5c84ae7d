"""Overview page: the chosen period's headline figures."""
import streamlit as st

from cadre import i18n, overview
from cadre.charts import overview as charts
from cadre.ui import cached, cadre_data, frame, pack_button, widgets
from cadre.ui.cached import headline

ctx = frame.context()
widgets.page_header(ctx, "nav.overview")

figures = headline(ctx.con, ctx.period, ctx.data_version, ctx.settings) if ctx.period else None
if figures is None:
    widgets.notice(ctx, "overview.no_data")
    st.stop()

num = lambda x, d=1: i18n.format_number(x, ctx.lang, d)  # noqa: E731 - local formatter
if ctx.section:  # every figure below follows the scope; the movements say they do not
    dist = cached.distribution(ctx.con, ctx.data_version, ctx.settings, ctx.period, ctx.section)
    head = cadre_data.structure_tables(ctx.con, ctx.data_version, figures["date"], ctx.section, False)["headline"]
    figures = overview.in_scope(figures, dist, int(head["headcount"].iloc[0]) if len(head) else None)
widgets.metric_row([
    (ctx.t("overview.headcount"), num(figures["headcount"], 0)),
    (ctx.t("overview.assessed"), num(figures["assessed"], 0)),
    (ctx.t("overview.mean"), num(figures["mean"])),
    (ctx.t("overview.top_grade", grade=ctx.md(next(iter(figures["grades"])))), num(next(iter(figures["grades"].values())), 0)),
])
if ctx.section and not figures["assessed"]:
    widgets.notice(ctx, "overview.section_not_assessed", section=ctx.md(ctx.section))

fig = charts.grade_counts(figures["grades"], figures["official_grades"], ctx.lang, ctx.projector)
widgets.chart(ctx, fig, key="overview_grades", file_name=f"grades-{ctx.period}")

flags = [ctx.t("overview.flag.egalitarian", section=ctx.md(s)) for s in figures["egalitarian"]]
flags += [ctx.t("overview.flag.turn_taking", section=ctx.md(s)) for s in figures["turn_taking"]]
if not ctx.projector:
    st.subheader(ctx.t("overview.flags"))
    for flag in flags:
        st.warning(flag, icon=":material/flag:")
    if not flags:
        st.success(ctx.t("overview.no_flags"), icon=":material/check_circle:")

    mv = figures["movements"]
    st.subheader(ctx.t("overview.movements", year=mv["year"]))
    if ctx.section:
        st.caption(ctx.t("leader.overview.movements_office"))
    widgets.metric_row([
        (ctx.t("cli.key.promotions"), num(mv["promotions"], 0)),
        (ctx.t("cli.key.rotations"), num(mv["rotations"], 0)),
        (ctx.t("cli.key.hires"), num(mv["hires"], 0)),
        (ctx.t("cli.key.exits"), num(mv["exits"], 0)),
        (ctx.t("cli.key.new_middle_cadres"), num(mv["new_middle_cadres"], 0)),
        (ctx.t("overview.heads_changed"), f"{mv['sections_head_changed']} / {mv['sections']}"),
    ])
    st.subheader(ctx.t("overview.pack"))
    pack_button.render(ctx)
