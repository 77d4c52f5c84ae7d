"""What-if lab: move the weights, quota and floors; see who moves and why."""
import streamlit as st

from cadre import access, figures, scoring
from cadre.whatif import results as whatif_results
from cadre.whatif.results import (
    BAND_ROWS, STABILITY_SPREAD, VIEWS, bonus, compare, for_display, grade_changes, grade_counts, item_label,
    movers, section_shifts, stability_samples, summary,
)
from cadre.whatif.saved import (
    NAME_MAX, adopt_scenario, clean_name, delete_scenario, list_scenarios, load_scenario, save_scenario,
)
from cadre.charts import whatif as charts
from cadre.ui import cached, explain as why, frame, whatif_lab, widgets

ctx = frame.context()
widgets.page_header(ctx, "nav.whatif")
KEEP = whatif_lab.KEEP


if not ctx.period:
    widgets.notice(ctx, "whatif.no_data")
    st.stop()
lab = cached.shared(ctx, "whatif_lab", ctx.period)
if lab is None:
    widgets.notice(ctx, "whatif.no_data")
    st.stop()
bad = whatif_lab.start(ctx, lab)  # first visit (a shared link), or a period of another kind
if bad:
    st.warning(ctx.t("whatif.bad_link", keys=", ".join(bad)), icon=":material/link_off:")
labels = scoring.grade_labels(lab.kind)


def bonus_view(spec, ev):
    whatif_lab.bonus_inputs(ctx, labels)
    spec = whatif_lab.current(ctx, lab)
    table, totals = bonus(lab, ev, spec, ctx.section)
    if totals["unallocated"]:
        widgets.notice(ctx, "whatif.bonus_unallocated")
    widgets.metric_row([widgets.fig(ctx, k, totals[k]) for k in ("pool", "baseline_total", "scenario_total")])
    widgets.table(ctx, for_display(table), key="whatif_bonus", file_name=f"bonus-{lab.period}",
                  value_columns=("section", "grade", "baseline_grade"))


def results(spec):
    ev = lab.evaluate(spec)
    people = whatif_results.people(lab, ev, ctx.section)
    if people.empty:
        widgets.notice(ctx, "whatif.section_empty", section=ctx.md(ctx.section))
        return
    counts = grade_counts(people, lab.kind)
    s = summary(people, lab.kind)
    # Two rows of three: six metrics in the lab's right column cut English
    # labels ("Rank cha…", "Basically …") at 1440 px.
    cols = [*st.columns(3), *st.columns(3)]
    for col, (label, value, help_) in zip(cols, [widgets.fig(ctx, "moved", s["moved"], help_params={"n": s["n"]}),
                                                 widgets.fig(ctx, "regraded", s["grade_changed"])]):
        col.metric(label, value, help=help_)
    for col, row in zip(cols[2:], counts.itertuples(index=False)):
        label, value, help_ = widgets.fig(ctx, "grade_count", row.scenario, grade=ctx.md(row.grade))
        col.metric(label, value, help=help_, delta=int(row.change) or None, delta_color="off")
    view = st.segmented_control(ctx.t("whatif.view"), VIEWS, key="whatif_view", required=True,
                                default="ranks", format_func=lambda v: ctx.t(f"whatif.view.{v}"), **KEEP)
    if view == "ranks":
        moved = movers(people, top=10 if ctx.projector else 15)
        if moved.empty:
            widgets.notice(ctx, "whatif.nobody_moves")
        elif not ctx.sees_people:  # a line per person: not for a viewer
            st.caption(ctx.t("widgets.people_hidden"))
        else:
            picked = widgets.chart(ctx, charts.rank_slope(moved, ctx.lang, ctx.projector, ctx.mask),
                                   key="whatif_slope", file_name=f"whatif-ranks-{lab.period}",
                                   on_select="rerun", selection_mode="points")
            why.whatif_rank_change(ctx, lab, spec, moved, picked)  # a line picked: why it moved
    elif view == "grades":
        widgets.chart(ctx, charts.grade_counts(counts, ctx.lang, ctx.projector), key="whatif_grades",
                      file_name=f"whatif-grades-{lab.period}")
        changes = grade_changes(people, lab.kind)
        changes["change"] = changes["change"].map(lambda c: ctx.t(f"whatif.change.{c}"))
        widgets.table(ctx, for_display(changes), key="whatif_changes",
                      file_name=f"whatif-grade-changes-{lab.period}",
                      value_columns=("section", "grade", "baseline_grade"))
    elif view == "sections":
        shifts = section_shifts(people)
        widgets.chart(ctx, charts.section_shifts(shifts, ctx.lang, ctx.projector), key="whatif_shifts",
                      file_name=f"whatif-sections-{lab.period}")
        widgets.table(ctx, for_display(shifts), key="whatif_shifts_t",
                      file_name=f"whatif-sections-{lab.period}", value_columns=("section",))
    elif view == "stability":
        st.caption(ctx.t("whatif.stability_help", spread=figures.value("stability_spread", STABILITY_SPREAD * 100, ctx.lang),
                         samples=stability_samples(len(lab))))
        stab = cached.run(ctx, "whatif_stability", lab.period, spec.to_json(), ctx.section)
        widgets.chart(ctx, charts.rank_bands(stab.head(BAND_ROWS), ctx.lang, ctx.projector, ctx.mask),
                      key="whatif_bands", file_name=f"whatif-stability-{lab.period}")
        widgets.table(ctx, for_display(stab), key="whatif_stab",
                      file_name=f"whatif-stability-{lab.period}", value_columns=("section", "grade"))
    elif view == "bonus":
        bonus_view(spec, ev)
    else:
        widgets.table(ctx, for_display(people), key="whatif_people",
                      file_name=f"whatif-{lab.period}", value_columns=("section", "grade", "baseline_grade"))


def scenarios(spec):
    saved = list_scenarios(ctx.con)["name"].tolist()
    c1, c2 = st.columns(2)
    with c1:
        name = st.text_input(ctx.t("whatif.save_name"), key="whatif_save_name", max_chars=NAME_MAX)
        st.button(ctx.t("whatif.save"), key="whatif_save", icon=":material/save:",
                  disabled=not access.can(ctx.user, "save_scenario") or not clean_name(name),
                  on_click=lambda: st.toast(ctx.t("whatif.saved", name=ctx.md(save_scenario(
                      ctx.con, st.session_state["whatif_save_name"], whatif_lab.current(ctx, lab))))))
    with c2:
        chosen = st.selectbox(ctx.t("whatif.saved_list"), saved, key="whatif_load_name", index=None,
                              placeholder=ctx.t("whatif.none_saved") if not saved else ctx.t("leader.placeholder.scenario"))
        b1, b2 = st.columns(2)
        b1.button(ctx.t("whatif.load"), key="whatif_load", disabled=chosen is None, icon=":material/restore:",
                  on_click=lambda: whatif_lab.show(ctx, lab, load_scenario(ctx.con, ctx.settings, chosen, lab.kind)))
        b2.button(ctx.t("whatif.delete"), key="whatif_delete", icon=":material/delete:",
                  disabled=chosen is None or not access.can(ctx.user, "save_scenario"),
                  on_click=lambda: delete_scenario(ctx.con, chosen))
    if len(saved) >= 2:
        a, b = st.columns(2)
        na = a.selectbox(ctx.t("whatif.compare_a"), saved, key="whatif_cmp_a")
        nb = b.selectbox(ctx.t("whatif.compare_b"), saved, index=1, key="whatif_cmp_b")
        sa, sb = (load_scenario(ctx.con, ctx.settings, n, lab.kind) for n in (na, nb))
        for part, frame_ in zip(("settings", "outcome"), compare(lab, sa, sb)):
            frame_["item"] = frame_["item"].map(lambda k: item_label(k, ctx.lang))
            widgets.table(ctx, frame_.rename(columns={"a": na, "b": nb}), key=f"whatif_cmp_{part}",
                          file_name=f"whatif-compare-{part}")
    if access.can(ctx.user, "adopt_scenario"):
        with st.popover(ctx.t("whatif.adopt"), icon=":material/gavel:"):
            st.write(ctx.t("whatif.adopt_confirm"))
            if st.button(ctx.t("whatif.adopt_yes"), key="whatif_adopt", type="primary"):
                adopt_scenario(ctx.con, spec, ctx.user)
                st.rerun()


@st.fragment
def lab_fragment():
    whatif_lab.presets(ctx, lab)
    left, right = st.columns([1.15, 3], gap="large")
    with left:
        whatif_lab.controls(ctx, lab, labels)
    spec = whatif_lab.current(ctx, lab)
    whatif_lab.sync_url(spec)
    with right:
        results(spec)
    if not ctx.projector:
        st.subheader(ctx.t("whatif.scenarios"))
        scenarios(spec)


lab_fragment()
