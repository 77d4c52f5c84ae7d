"""Section comparisons: the sections side by side, where they differ by
dimension and source, their trend, and turn-taking."""
import streamlit as st

from cadre import i18n
from cadre.assessment import tables as assessment_tables
from cadre.assessment.sections import CHART_SECTIONS, chart_sections, only_sections
from cadre.assessment.tables import section_table
from cadre.charts import assessment as charts
from cadre.access import can
from cadre.ui import cached, frame, widgets

ctx = frame.context()
widgets.page_header(ctx, "nav.sections")


def _pick_from_chart():
    """A click on a section's bar picks that section (before widgets render)."""
    state = st.session_state.get("sections_means_chart")
    points = state.selection.points if state else []
    if points and points[0].get("customdata") is not None:
        st.session_state["sections_pick"] = points[0]["customdata"]


def people_table(frame, key, file_name, value_columns=("section", "computed_grade", "official_grade")):
    """A people table; selecting a row opens that person's profile."""
    state = widgets.table(ctx, frame, key=key, file_name=file_name, selectable=can(ctx.user, "view_person"), value_columns=value_columns)
    if state and state.selection.rows:
        st.switch_page("pages/person.py", query_params={"person": frame.iloc[state.selection.rows[0]]["person_id"]})


if not ctx.period:
    widgets.notice(ctx, "assessment.notice.no_period")
    st.stop()
c = cached.shared(ctx, "section_comparison", ctx.period)   # shared by every session: only read
if c is None or c.stats.empty:
    widgets.notice(ctx, "assessment.notice.no_sections", period=i18n.format_period(ctx.period, ctx.lang))
    st.stop()

flagged = c.stats.loc[c.stats["egalitarian"], "section"].tolist()
if flagged:
    st.warning(ctx.t("assessment.egalitarian.office_flagged", sections=ctx.t("assessment.list_sep").join(ctx.md(x) for x in flagged)),
               icon=":material/warning:")
small = c.stats.loc[c.stats["small"], "section"].tolist()
if small:
    st.warning(ctx.t("assessment.small_sections", sections=ctx.t("assessment.list_sep").join(ctx.md(x) for x in small),
                     n=ctx.settings["min_section_n"]), icon=":material/group_off:")

options = c.stats.sort_values("mean", ascending=False)["section"].tolist()
default = ctx.section if ctx.section in options else None
if st.session_state.get("sections_pick") not in options:
    st.session_state["sections_pick"] = default
# A city's hundreds of sections: every chart, the means too, draws the top and
# bottom ones, the flagged and the picked (its 1,250 bars took 3 s to draw).
shown = chart_sections(c, st.session_state["sections_pick"])  # None: every section fits


def capped_note():
    if shown is not None:
        st.caption(ctx.t("assessment.capped_note", shown=len(shown), total=len(c.stats), n=CHART_SECTIONS))


if not ctx.projector:   # on the projector the chart comes first, its notes under it (1280×720 fits it whole)
    st.caption(ctx.t("assessment.click_section"))
    capped_note()
view = (c.period, ctx.lang, ctx.projector)  # what a shared figure depends on, with the picked section
means = cached.figure(ctx, "sections_means", view + (tuple(shown or ()),),
                      lambda: charts.section_means(only_sections(c.stats, shown), ctx.lang, ctx.projector))
widgets.chart(ctx, means, key="sections_means",
              file_name=f"sections_{c.period}", on_select=_pick_from_chart, selection_mode="points")
if ctx.projector:
    st.caption(ctx.t("assessment.click_section"))
    capped_note()

pick = st.selectbox(ctx.t("assessment.pick_section"), options, key="sections_pick", format_func=ctx.v,
                    placeholder=ctx.t("assessment.pick_section.placeholder"))
if pick:
    st.subheader(ctx.t("assessment.section_people", section=ctx.md(pick)))
    people = c.people[c.people["section"] == pick].sort_values(["section_rank", "person_id"])
    people_table(assessment_tables.people_table(people), "sections_people", f"people_{pick}_{c.period}")

tab_keys = ["table", "heatmap", "gaps", "trend", "turn_taking"]
# Lazy tabs: only the open tab runs and is drawn (every visit drew all of their
# charts and grids, most of them hidden).
tabs = widgets.lazy_tabs(ctx, tab_keys, "assessment.tab", "sections_tab")
if tabs["table"].open:
    with tabs["table"]:
        widgets.table(ctx, section_table(c.stats), key="sections_stats", file_name=f"sections_{c.period}",
                      value_columns=("section",))
if tabs["heatmap"].open:
    with tabs["heatmap"]:
        st.caption(ctx.t("assessment.heatmap_help"))
        capped_note()
        heat = cached.figure(ctx, "sections_heat", view + (pick,),
                             lambda: charts.heatmap(only_sections(c.heatmap, shown), ctx.lang, ctx.projector))
        widgets.chart(ctx, heat, key="sections_heat",
                      file_name=f"heatmap_{c.period}")
if tabs["gaps"].open:
    with tabs["gaps"]:
        st.caption(ctx.t("assessment.gaps_help"))
        if c.gaps[["self_gap", "peer_gap"]].notna().any().any():
            capped_note()
            gaps = cached.figure(ctx, "sections_gaps", view + (pick,),
                                 lambda: charts.source_gaps(only_sections(c.gaps, shown), ctx.lang, ctx.projector))
            widgets.chart(ctx, gaps, key="sections_gaps",
                          file_name=f"gaps_{c.period}")
        else:
            widgets.notice(ctx, "assessment.notice.no_sources")
        widgets.table(ctx, c.gaps, key="sections_gaps_table", file_name=f"gaps_{c.period}",
                      value_columns=("section",))
if tabs["trend"].open:
    with tabs["trend"]:
        if len(c.trend):
            capped_note()
            trend = cached.figure(ctx, "sections_trend", view + (pick,),
                                  lambda: charts.trend(c.trend, ctx.lang, ctx.projector, c.office_trend, shown))
            widgets.chart(ctx, trend, key="sections_trend",
                          file_name=f"trend_{c.period}")
        else:
            widgets.notice(ctx, "assessment.notice.no_quarters")
if tabs["turn_taking"].open:
    with tabs["turn_taking"]:
        st.caption(ctx.t("assessment.turn_taking_help", share=ctx.settings["turn_taking_share"],
                         awards=ctx.settings["turn_taking_min_awards"]))
        tt = c.turn_taking
        state = widgets.table(ctx, tt, key="sections_tt", file_name=f"turn_taking_{c.period}",
                              value_columns=("section",), selectable=True)
        if state and state.selection.rows:
            section = tt.iloc[state.selection.rows[0]]["section"]
            st.subheader(ctx.t("assessment.turn_taking_people", section=ctx.md(section)))
            detail = c.turn_detail[c.turn_detail["section"] == section]
            people_table(detail, "sections_tt_people", f"turn_taking_{section}", ("section",))
