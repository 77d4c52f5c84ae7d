"""Cadre structure: age, rank echelons, education, political status,
years of service and sections at a date; the trends year by year with targets."""
import streamlit as st

from cadre import cadre_views, figures, i18n
from cadre.charts import structure as charts
from cadre.ui import cached, dates, frame, widgets

ctx = frame.context()
date, right = dates.dated_page(ctx, "nav.structure", "structure_date")
group = right.segmented_control(ctx.t("structure.group"), ["all", "middle"], key="structure_group",
                                default="all", required=True,
                                format_func=lambda g: ctx.t(f"structure.group.{g}"))
tables = cached.run(ctx, "structure_tables", date, ctx.section, group == "middle")
head = tables["headline"].iloc[0]
if not head["headcount"]:
    widgets.notice(ctx, "structure.nobody")
    st.stop()
P = ctx.projector


def headline():
    """The figures: above the tabs on a screen, under the chart on the
    projector (where the chart comes first and fits 1280×720 whole)."""
    widgets.metric_row([widgets.fig(ctx, k, head[k]) for k in (
        "headcount", "mean_age", "share_under_35", "bachelor_plus_share", "middle_count", "middle_under_40_share")])


if not P:
    headline()

tab_keys = ["pyramid", "echelon", "education", "political", "service", "sections", "middle", "trend"]
# Lazy tabs: only the open tab runs (the trend computes the state at every year end).
tabs = widgets.lazy_tabs(ctx, tab_keys, "structure.tab", "structure_tab")


def tab_chart(tab: str, make, file_name: str) -> bool:
    """``make()``'s chart in ``tab`` when that tab is open (lazy tabs: only
    the open one runs); whether it is open."""
    with tabs[tab]:
        if tabs[tab].open:
            widgets.chart(ctx, make(), key=f"structure_{tab}", file_name=file_name)
    return tabs[tab].open


tab_chart("pyramid", lambda: charts.pyramid(tables["age_gender"], ctx.lang, P), "age_pyramid")
if tab_chart("echelon", lambda: charts.echelon(tables["age_rank"], ctx.lang, P), "age_rank"):
    with tabs["echelon"]:
        gaps = cadre_views.echelon_gaps(tables["age_rank"], ctx.settings["ladder"])
        if gaps:
            st.warning(ctx.t("structure.echelon.gaps", ranks=i18n.join((ctx.md(r) for r in gaps), ctx.lang)),
                       icon=":material/warning:")
        else:
            st.caption(ctx.t("structure.echelon.ok"))
tab_chart("education", lambda: charts.education(tables["education_mode"], ctx.lang, P), "education")
tab_chart("political", lambda: charts.counts_bar(tables["political"], "political_status", ctx.lang,
                                                 "structure.chart.political", P), "political_status")
tab_chart("service", lambda: charts.counts_bar(tables["service_years"], "band", ctx.lang, "structure.chart.service",
                                               P, translate=False, colour="#009E73"), "years_of_service")
with tabs["sections"]:
    if tabs["sections"].open:
        by_section = tables["by_section"]
        compared = by_section[~by_section["is_leadership"].astype(bool)]
        if len(compared):
            widgets.chart(ctx, charts.sections(compared, ctx.lang, P), key="structure_sections",
                          file_name="sections")
        if not P:
            widgets.table(ctx, cadre_views.section_table(by_section), key="structure_sections",
                          file_name="sections_structure", value_columns=("section",))
with tabs["middle"]:
    if tabs["middle"].open:
        widgets.table(ctx, cadre_views.middle_table(tables["middle_cadres"]), key="structure_middle",
                      file_name="middle_cadres", value_columns=("section", "position", "gender", "education", "rank"),
                      empty_notice="structure.no_middle")
with tabs["trend"]:
    if tabs["trend"].open:
        trend = cached.run(ctx, "structure_trend", ctx.section)
        if P:
            metric = st.segmented_control(ctx.t("structure.trend.metric"), cadre_views.TREND_METRICS,
                                          key="structure_trend_metric", default="bachelor_plus_share",
                                          required=True, format_func=lambda m: figures.label(m, ctx.lang))
            shown = [metric]
        else:
            shown = cadre_views.TREND_METRICS
        cols = st.columns(1 if P else 2)
        for i, metric in enumerate(shown):
            gap = cadre_views.target_gap(trend, metric)
            with cols[i % len(cols)]:
                widgets.chart(ctx, charts.trend(trend, metric, ctx.lang, P, gap), key=f"structure_trend_{metric}",
                              file_name=f"trend_{metric}")
                if gap is not None:
                    st.caption(ctx.t("structure.gap.caption" if gap >= 0 else "structure.gap.caption_short",
                                     value=figures.value("target_gap", abs(gap) * 100, ctx.lang)))
        if not P:
            widgets.table(ctx, cadre_views.trend_table(trend), key="structure_trend", file_name="structure_trend")
if P:
    headline()
