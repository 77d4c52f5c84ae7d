"""Cadre structure: age, rank echelons, education, political status,
years of service and sections at a date; the trends year by year with targets."""
import streamlit as st

from cadre import cadre_views, i18n
from cadre.charts import structure as charts
from cadre.ui import cadre_data as data
from cadre.ui import dates, frame, widgets

ctx = frame.context()
widgets.page_header(ctx, "nav.structure")
options = data.date_options(ctx.con, ctx.data_version)
if not options:
    widgets.notice(ctx, "structure.no_data")
    st.stop()

left, right = st.columns([1, 2], vertical_alignment="bottom")
date = dates.date_picker(ctx, "structure_date", options, container=left)
group = right.segmented_control(ctx.t("structure.group"), ["all", "middle"], key="structure_group",
                                default="all", required=True,
                                format_func=lambda g: ctx.t(f"structure.group.{g}"))
tables = data.structure_tables(ctx.con, ctx.data_version, date, ctx.section, group == "middle")
head = tables["headline"].iloc[0]
if not head["headcount"]:
    widgets.notice(ctx, "structure.nobody")
    st.stop()


def pct(x) -> str:
    return "—" if x is None or x != x else f"{x * 100:.0f}%"


widgets.metric_row([
    (ctx.t("structure.metric.headcount"), f"{int(head['headcount'])}"),
    (ctx.t("structure.metric.mean_age"), i18n.format_number(head["mean_age"], ctx.lang)),
    (ctx.t("structure.metric.share_under_35"), pct(head["share_under_35"])),
    (ctx.t("structure.metric.bachelor_plus_share"), pct(head["bachelor_plus_share"])),
    (ctx.t("structure.metric.middle_count"), f"{int(head['middle_count'])}"),
    (ctx.t("structure.metric.middle_under_40_share"), pct(head["middle_under_40_share"])),
])

tab_keys = ["pyramid", "echelon", "education", "political", "service", "sections", "middle", "trend"]
# Lazy tabs: only the open tab runs (the trend computes the state at every year end).
tabs = dict(zip(tab_keys, st.tabs([ctx.t(f"structure.tab.{k}") for k in tab_keys], key="structure_tab",
                                  on_change="rerun")))
P = ctx.projector

with tabs["pyramid"]:
    if tabs["pyramid"].open:
        widgets.chart(ctx, charts.pyramid(tables["age_gender"], ctx.lang, P), key="structure_pyramid",
                      file_name="age_pyramid")
with tabs["echelon"]:
    if tabs["echelon"].open:
        widgets.chart(ctx, charts.echelon(tables["age_rank"], ctx.lang, P), key="structure_echelon",
                      file_name="age_rank")
        gaps = cadre_views.echelon_gaps(tables["age_rank"], ctx.settings["ladder"])
        if gaps:
            st.warning(ctx.t("structure.echelon.gaps", ranks="、".join(ctx.md(r) for r in gaps)),
                       icon=":material/warning:")
        else:
            st.caption(ctx.t("structure.echelon.ok"))
with tabs["education"]:
    if tabs["education"].open:
        widgets.chart(ctx, charts.education(tables["education_mode"], ctx.lang, P), key="structure_education",
                      file_name="education")
with tabs["political"]:
    if tabs["political"].open:
        widgets.chart(ctx, charts.counts_bar(tables["political"], "political_status", ctx.lang,
                                             "structure.chart.political", P), key="structure_political",
                      file_name="political_status")
with tabs["service"]:
    if tabs["service"].open:
        widgets.chart(ctx, charts.counts_bar(tables["service_years"], "band", ctx.lang, "structure.chart.service",
                                             P, translate=False, colour="#009E73"),
                      key="structure_service", file_name="years_of_service")
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
        middle = tables["middle_cadres"]
        if len(middle):
            widgets.table(ctx, cadre_views.middle_table(middle), key="structure_middle", file_name="middle_cadres",
                          value_columns=("section", "position", "gender", "education", "rank"))
        else:
            widgets.notice(ctx, "structure.no_middle")
with tabs["trend"]:
    if tabs["trend"].open:
        trend = data.structure_trend(ctx.con, ctx.data_version, ctx.section)
        if P:
            metric = st.segmented_control(ctx.t("structure.trend.metric"), cadre_views.TREND_METRICS,
                                          key="structure_trend_metric", default="bachelor_plus_share",
                                          required=True, format_func=lambda m: ctx.t(f"structure.metric.{m}"))
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
                                     value=f"{abs(gap) * 100:.0f}"))
        if not P:
            widgets.table(ctx, cadre_views.trend_table(trend), key="structure_trend", file_name="structure_trend")
