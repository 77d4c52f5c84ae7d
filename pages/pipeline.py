"""Promotion pipelines: the rank funnel, flows, time in rank,
eligibility with the blocking rules, the reserve pool, succession risk,
rotation due, section exchange and the year's movement summary."""
import streamlit as st

from cadre import cadre_views, figures, i18n
from cadre.charts import structure as charts
from cadre.ui import cached, dates, frame, widgets

ctx = frame.context()
date, right = dates.dated_page(ctx, "nav.pipeline", "pipeline_date")
years, default_year = cached.run(ctx, "span_options")
span = dates.span_picker(ctx, "pipeline_span", years, default_year, container=right)
start, end = cadre_views.span_dates(*span)
P, ladder = ctx.projector, ctx.settings["ladder"]

elig = cached.run(ctx, "eligibility", date, ctx.section, ctx.lang)
due = cadre_views.scoped(cached.run(ctx, "rotation_due", date), ctx.section)
succ = cadre_views.scoped(cached.run(ctx, "succession", date, 3.0), ctx.section)
unknown = cadre_views.scoped(cached.run(ctx, "tenure_unknown", date), ctx.section)
n_undetermined, n_post_unknown = int(elig["undetermined"].sum()), int(unknown["post_unknown"].sum())
n_eligible = int(elig["eligible"].sum())


def unknown_note(n: int):
    """The grey note under a count: how many could not be judged."""
    return ctx.t("leader.metric.unknown_note", unknown=n) if n else None


def headline():
    """The figures and the tenure note: above the tabs on a screen, under the
    chart on the projector (where the chart comes first and fits 1280×720)."""
    widgets.metric_row([
        widgets.fig(ctx, "in_office", len(elig)),
        (*widgets.fig(ctx, "eligible_count", n_eligible), unknown_note(n_undetermined)),
        widgets.fig(ctx, "reserve_count", int(elig["reserve"].astype(bool).sum())),
        (*widgets.fig(ctx, "rotation_due", len(due),
                      years=figures.value("rotation_years", ctx.settings["rotation_years"], ctx.lang)),
         unknown_note(n_post_unknown)),
        widgets.fig(ctx, "high_risk", int(succ["risk"].isin(["high", "vacant"]).sum())),
    ])
    note = cadre_views.tenure_note(elig, unknown, ctx.settings["rotation_years"], ctx.lang)
    if note:
        st.warning(note, icon=":material/help:")


if not P:
    headline()

tab_keys = ["funnel", "flows", "time_in_rank", "eligibility", "reserve", "succession", "rotation",
            "exchange", "movements"]
# Lazy tabs: only the open tab runs.
tabs = widgets.lazy_tabs(ctx, tab_keys, "pipeline.tab", "pipeline_tab")

with tabs["funnel"]:
    if tabs["funnel"].open:
        steps = cadre_views.pipeline_by_step(elig, ladder)
        steps["top_blocker"] = steps["top_blocker"].map(lambda r: ctx.t(f"pipeline.rule.{r}"), na_action="ignore")
        widgets.chart(ctx, charts.funnel(cached.run(ctx, "funnel", date), ctx.lang, P), key="pipeline_funnel",
                      file_name="rank_funnel")
        widgets.table(ctx, steps, key="pipeline_steps", file_name="pipeline_by_step", value_columns=("next_rank",))
with tabs["flows"]:
    if tabs["flows"].open:
        flows = cached.run(ctx, "flows", start, end)
        kind = st.segmented_control(ctx.t("pipeline.flows.kind"), ["people", "promotions"], key="pipeline_flow_kind",
                                    default="people", required=True,
                                    format_func=lambda k: ctx.t(f"pipeline.flows.{k}"))
        shown = flows[(flows["flow"] == "promotion") == (kind == "promotions")]
        if len(shown):
            widgets.chart(ctx, charts.sankey(flows, ctx.lang, P, promotions=kind == "promotions"),
                          key="pipeline_sankey", file_name=f"flows_{span[0]}_{span[1]}")
        else:
            widgets.notice(ctx, "pipeline.flows.none")
with tabs["time_in_rank"]:
    if tabs["time_in_rank"].open:
        rows, summary = cached.run(ctx, "time_in_rank")
        if len(rows):
            rows = cadre_views.time_in_rank_steps(rows, ladder)
            rows["name"] = cadre_views.masked_names(rows["name"], ctx.mask)
            widgets.chart(ctx, charts.time_in_rank(rows, ctx.lang, P, points=ctx.sees_people), key="pipeline_tir",
                          file_name="time_in_rank")
            widgets.table(ctx, cadre_views.time_in_rank_display(summary), key="pipeline_tir",
                          file_name="time_in_rank", value_columns=("from_rank", "to_rank"))
        else:
            widgets.notice(ctx, "pipeline.no_promotions")
with tabs["eligibility"]:
    if tabs["eligibility"].open:
        which = st.segmented_control(ctx.t("pipeline.elig.show"),
                                     ["eligible", "unknown", "blocked", "all"] if n_undetermined else
                                     ["eligible", "blocked", "all"],
                                     key="pipeline_elig_show", default="eligible", required=True,
                                     format_func=lambda k: ctx.t(f"pipeline.elig.{k}"))
        shown = cadre_views.eligibility_filter(elig, which)
        st.caption(ctx.t("pipeline.elig.caption", n=len(shown)))
        widgets.table(ctx, cadre_views.eligibility_display(shown), key="pipeline_elig", file_name="eligibility",
                      value_columns=("section", "position", "rank", "next_rank", "education"))
with tabs["reserve"]:
    if tabs["reserve"].open:
        pool = elig[elig["reserve"].astype(bool)]
        widgets.table(ctx, cadre_views.eligibility_display(pool), key="pipeline_reserve", file_name="reserve_pool",
                      value_columns=("section", "position", "rank", "next_rank", "education"),
                      empty_notice="pipeline.reserve.none")
with tabs["succession"]:
    if tabs["succession"].open:
        st.caption(ctx.t("pipeline.succession.caption", ages=i18n.join(
            (f"{ctx.v(g)} {a}" for g, a in ctx.settings["retirement_age"].items()), ctx.lang)))
        shown = cadre_views.succession_display(succ)
        shown["risk"] = shown["risk"].map(lambda r: ctx.t(f"pipeline.risk.{r}"))
        widgets.table(ctx, shown, key="pipeline_succession", file_name="succession", value_columns=("section", "head_rank"))
with tabs["rotation"]:
    if tabs["rotation"].open:
        st.caption(ctx.t("pipeline.rotation.caption", n=len(due),
                         years=figures.value("rotation_years", ctx.settings["rotation_years"], ctx.lang)))
        if len(due):
            widgets.table(ctx, cadre_views.rotation_display(due), key="pipeline_rotation", file_name="rotation_due",
                          value_columns=("section", "position", "rank"))
with tabs["exchange"]:
    if tabs["exchange"].open:
        pivot = cadre_views.exchange_pivot(cached.run(ctx, "exchange", start, end), ctx.sections)
        if len(pivot) and pivot.values.sum():
            widgets.chart(ctx, charts.exchange(pivot, ctx.lang, P), key="pipeline_exchange",
                          file_name=f"exchange_{span[0]}_{span[1]}")
            note = "pipeline.exchange.capped" if pivot.attrs["others"] else "pipeline.exchange.shown"
            st.caption(ctx.t(note, shown=pivot.attrs["shown"], others=f"{pivot.attrs['others']:,}",
                             moves=f"{pivot.attrs['other_moves']:,}"))
        else:
            widgets.notice(ctx, "pipeline.exchange.none")
with tabs["movements"]:
    if tabs["movements"].open:
        year = st.selectbox(ctx.t("pipeline.movements.year"), years[::-1], key="pipeline_year",
                            index=years[::-1].index(span[1]))
        summary = cached.run(ctx, "movements_summary", year)
        widgets.table(ctx, cadre_views.movement_table(summary, ctx.lang), key="pipeline_moves",
                      file_name=f"movements_{year}")
if P:
    headline()
