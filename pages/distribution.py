"""Score distributions: how the office (or a section) scored in a period,
the grades against the quota, and whether scores are spread out."""
import streamlit as st

from cadre import figures, i18n
from cadre.assessment import tables as assessment_tables
from cadre.assessment.distribution import dimension_long
from cadre.assessment.tables import grade_table
from cadre.charts import assessment as charts
from cadre.access import can
from cadre.ui import cached, frame, widgets

ctx = frame.context()
widgets.page_header(ctx, "nav.distribution")


def fmt(key, x):
    return figures.value(key, x, ctx.lang)


def people_table(frame, key, file_name):
    """A people table; selecting a row opens that person's profile."""
    state = widgets.table(ctx, frame, key=key, file_name=file_name, selectable=can(ctx.user, "view_person"),
                          value_columns=("section", "computed_grade", "official_grade"))
    if state and state.selection.rows:
        st.switch_page("pages/person.py", query_params={"person": frame.iloc[state.selection.rows[0]]["person_id"]})


if not ctx.period:
    widgets.notice(ctx, "assessment.notice.no_period")
    st.stop()
d = cached.run(ctx, "distribution", ctx.period, ctx.section)
if d is None or d.stats["n"] == 0:
    widgets.notice(ctx, "assessment.notice.no_data", period=i18n.format_period(ctx.period, ctx.lang))
    st.stop()
if d.stats["n"] == 1:
    widgets.notice(ctx, "assessment.notice.one_person")


def summary():
    """The figures, warnings and the quota's lines: above the chart on a
    screen, under it on the projector (where the chart comes first and fits
    1280×720 whole under the page's title)."""
    s = d.stats
    widgets.metric_row([widgets.fig(ctx, "assessed", s["n"])]
                       + [widgets.fig(ctx, k, s[k]) for k in ("mean", "median", "std", "iqr", "range")])
    if d.section is not None:
        if d.egalitarian:
            st.warning(ctx.t("assessment.egalitarian.section_flagged", std=fmt("std", s["std"]),
                             limit=fmt("egalitarian_std", ctx.settings["egalitarian_std"])), icon=":material/warning:")
    elif d.flagged_sections:
        st.warning(ctx.t("assessment.egalitarian.office_flagged",
                         sections=ctx.t("assessment.list_sep").join(ctx.md(x) for x in d.flagged_sections)), icon=":material/warning:")
    q = d.quota
    st.caption(ctx.t("assessment.quota_line", top=ctx.md(q["top"]), allowed=q["allowed"], pct=figures.value("quota", q["quota"], ctx.lang),
                     n=q["n"], floor=figures.value("grade_floor", q["top_floor"], ctx.lang), qualifying=q["qualifying"], awarded=q["awarded"]))
    st.caption(ctx.t("assessment.quota_rule", n=q["n"], pct=figures.value("quota", q["quota"], ctx.lang), allowed=q["allowed"]))


if not ctx.projector:
    summary()
current = i18n.format_period(d.period, ctx.lang)
previous = i18n.format_period(d.previous_period, ctx.lang) if d.previous_period else None
view = (d.period, d.section, ctx.lang, ctx.projector, ctx.mask, ctx.sees_people)  # what a shared figure depends on
main = cached.figure(ctx, "dist_hist", view, lambda: charts.histogram(d.people, d.bands, ctx.lang, ctx.projector,
                                                                       d.previous, previous, current))
widgets.chart(ctx, main, key="dist_hist", file_name=f"distribution_{d.period}")
if d.previous_period:
    st.caption(ctx.t("assessment.previous_line", period=previous, mean=fmt("mean", d.previous_stats["mean"]),
                     std=fmt("std", d.previous_stats["std"]), n=d.previous_stats["n"]))
if ctx.projector:
    summary()

tab_keys = ["box", "dimensions", "grades", "people"]
# Lazy tabs: only the open tab runs and is drawn (every visit drew all four,
# three of them hidden).
tabs = widgets.lazy_tabs(ctx, tab_keys, "assessment.tab", "dist_tab")
if tabs["box"].open:
    with tabs["box"]:
        box = cached.figure(ctx, "dist_box", view, lambda: charts.box(d.people, ctx.lang, ctx.mask, ctx.projector,
                                                                      d.previous, previous, current,
                                                                      points=ctx.sees_people))
        widgets.chart(ctx, box, key="dist_box", file_name=f"box_{d.period}")
if tabs["dimensions"].open:
    with tabs["dimensions"]:
        st.caption(ctx.t("assessment.dimensions_help"))
        dims = cached.figure(ctx, "dist_dims", view, lambda: charts.dimensions(dimension_long(d.people), ctx.lang,
                                                                               ctx.mask, ctx.projector,
                                                                               points=ctx.sees_people))
        widgets.chart(ctx, dims, key="dist_dims", file_name=f"dimensions_{d.period}")
if tabs["grades"].open:
    with tabs["grades"]:
        if not d.has_official:
            widgets.notice(ctx, "assessment.notice.no_official")
        grades = cached.figure(ctx, "dist_grades", view, lambda: charts.grade_bars(d.grades, ctx.lang, ctx.projector,
                                                                                   d.has_official))
        widgets.chart(ctx, grades, key="dist_grades", file_name=f"grades_{d.period}")
        widgets.table(ctx, grade_table(d.grades), key="dist_grade_counts", file_name=f"grades_{d.period}",
                      value_columns=("grade",))
        if d.has_official:
            st.subheader(ctx.t("assessment.mismatches", n=len(d.mismatches)))
            if len(d.mismatches):
                people_table(d.mismatches, "dist_mismatch", f"mismatches_{d.period}")
            else:
                widgets.notice(ctx, "assessment.notice.no_mismatch")
if tabs["people"].open:
    with tabs["people"]:
        st.caption(ctx.t("assessment.click_person"))
        people_table(assessment_tables.people_table(d.people), "dist_people", f"people_{d.period}")
