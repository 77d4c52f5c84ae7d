"""Why a score moved, on a page: the headline change, the waterfall of
contributions (by dimension, by source or by cell), the sources unknown on
one side, the cells as a table and the people who passed or were passed.

Widget keys start with the caller's ``key``. People are shown through
``widgets.table`` (its gate keeps every list of people from a viewer, and
names follow the page's masking)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from cadre import explain, figures, i18n, masking, scoring
from cadre.charts import explain as charts
from cadre.ui import widgets

VIEWS = ("dimension", "source", "cell")


def _label(ctx, period_or_side: str) -> str:
    """A side's name: a period as the UI writes it, or baseline / scenario."""
    if period_or_side in ("baseline", "scenario"):
        return ctx.t(f"whatif.{period_or_side}")
    return i18n.format_period(period_or_side, ctx.lang)


def parts(ctx, expl: explain.Explanation, view: str) -> pd.DataFrame:
    """label, value, unknown: the waterfall's bars for ``view``."""
    if view == "cell":
        c = expl.cells
        return pd.DataFrame({"label": c["dimension"].map(ctx.v) + "·" + c["source"].map(ctx.v),
                             "value": c["value"], "unknown": c["status"] != explain.BOTH})
    g = explain.by(expl.cells, view)
    return pd.DataFrame({"label": g[view].map(ctx.v), "value": g["value"], "unknown": g["unknown"]})


def panel(ctx, expl: explain.Explanation, key: str) -> None:
    """The explanation of ``expl`` (a person's or a section's change)."""
    a, b = _label(ctx, expl.label_from), _label(ctx, expl.label_to)
    items = [widgets.fig(ctx, "composite_at", expl.value_from, side=a),
             widgets.fig(ctx, "composite_at", expl.value_to, side=b),
             widgets.fig(ctx, "composite_change", expl.change)]
    if expl.rank and expl.rank.get("from") is not None:
        items.append(figures.metric("office_rank", None, ctx.lang,
                                    shown=f"{expl.rank['from']} → {expl.rank['to']}"))
    widgets.metric_row(items)
    view = st.segmented_control(ctx.t("explain.view"), VIEWS, key=f"{key}_view", default="dimension",
                                required=True, format_func=lambda v: ctx.t(f"explain.view.{v}"))
    title = ctx.t("explain.chart.title", a=a, b=b)
    widgets.chart(ctx, charts.waterfall(parts(ctx, expl, view), (a, expl.value_from), (b, expl.value_to),
                                        ctx.lang, ctx.projector, title), key=f"{key}_waterfall",
                  file_name=f"explain_{expl.subject}_{expl.label_from}_{expl.label_to}")
    st.caption(ctx.t("explain.how", reference=figures.value("composite", expl.reference, ctx.lang)))
    for r in expl.unknown.itertuples(index=False):
        st.caption(charts.UNKNOWN_MARK.strip() + " " + ctx.t(f"explain.unknown.{r.status}", source=ctx.v(r.source),
                                                             p_from=a, p_to=b))
    cells = expl.cells.drop(columns="status").rename(columns={"value": "contribution"})
    widgets.table(ctx, cells, key=f"{key}_cells", file_name=f"explain_cells_{expl.subject}",
                  value_columns=("dimension", "source"), download=not ctx.projector)
    if expl.rank and expl.rank.get("from") is not None:
        moved = explain.rank_people(expl)
        if moved.empty:
            st.caption(ctx.t("explain.rank.nobody"))
        else:
            moved["movement"] = moved["movement"].map(lambda m: ctx.t(f"explain.rank.{m}"))
            st.caption(ctx.t("explain.rank.caption", n=len(moved)))
            widgets.table(ctx, moved, key=f"{key}_people", file_name=f"explain_rank_{expl.subject}")


def person_periods(ctx, person_id: str, periods: list[str], explain_of) -> None:
    """Two of the person's periods to compare (latest and the one before by
    default) and their explanation; ``explain_of(p_from, p_to)`` computes it."""
    if len(periods) < 2:
        widgets.notice(ctx, "explain.one_period")
        return
    c1, c2 = st.columns(2)
    fmt = lambda p: i18n.format_period(p, ctx.lang)  # noqa: E731
    kind = scoring.period_kind_of(periods[-1])   # by default the latest and the one before of its kind
    same = [i for i, p in enumerate(periods[:-1]) if scoring.period_kind_of(p) == kind]
    p_from = c1.selectbox(ctx.t("explain.from"), periods, index=same[-1] if same else len(periods) - 2,
                          key="explain_from", format_func=fmt)
    p_to = c2.selectbox(ctx.t("explain.to"), periods, index=len(periods) - 1, key="explain_to", format_func=fmt)
    if p_from == p_to:
        widgets.notice(ctx, "explain.same_period")
        return
    try:
        expl = explain_of(p_from, p_to)
    except explain.ExplainError as exc:
        st.warning(ctx.t(exc.code, **exc.params), icon=":material/info:")
        return
    panel(ctx, expl, "explain")


def lab_weights(lab, spec):
    """(dimension weights, source weights) as the lab evaluates ``spec``
    (the settings' own where the scenario keeps them)."""
    spec = spec.for_kind(lab.kind, lab.settings)
    return (None if spec.dims == lab.base_spec.dims else spec.dim_weights(),
            None if spec.sources == lab.base_spec.sources else spec.source_weights())


def whatif_rank_change(ctx, lab, spec, moved: pd.DataFrame, selection) -> None:
    """Under the slope chart: the rank change picked on the chart (a line
    or end point) or in the list, explained baseline -> scenario."""
    pick_key = "whatif_explain_pick"
    ids = moved["person_id"].astype(str).tolist()
    points = (selection or {}).get("selection", {}).get("points", []) if selection else []
    rows = [p.get("customdata") for p in points if p.get("customdata") is not None]
    row = rows[0][0] if rows and isinstance(rows[0], (list, tuple)) else (rows[0] if rows else None)
    chosen = ids[int(row)] if isinstance(row, (int, float)) and 0 <= int(row) < len(ids) else None
    if chosen is not None:
        st.session_state[pick_key] = chosen
    elif st.session_state.get(pick_key) not in ids:
        st.session_state[pick_key] = None
    # a masked view shows no person's number (it may be the 身份证号): the masked name only
    names = dict(zip(ids, masking.mask_series(moved["name"]) if ctx.mask else moved["name"]))
    shown = (lambda p: names.get(p) or "") if ctx.mask else (lambda p: f"{p} · {names.get(p) or ''}".rstrip(" ·"))
    person = st.selectbox(ctx.t("explain.whatif.pick"), ids, key=pick_key, format_func=shown,
                          placeholder=ctx.t("explain.whatif.placeholder"))
    if not person:
        return
    ev = lab.evaluate(spec)
    expl = explain.person_between_weightings(
        lab.cube.ratios, lab.cube.sources, lab.cube.person_ids, lab.base.composite, ev.composite, lab.settings,
        person, (None, None), lab_weights(lab, spec), names=lab.names)
    panel(ctx, expl, "whatif_explain")
