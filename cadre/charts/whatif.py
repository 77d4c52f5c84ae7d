"""The what-if lab's figures: rank slope, grade counts before/after, section
mean shifts and the stability rank bands. Pure: DataFrames in, figures out."""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from cadre import figures, i18n, masking
from cadre.charts import palette, style

UP, DOWN = "#1a7f37", "#C0392B"


def _label(frame: pd.DataFrame, mask: bool) -> pd.Series:
    """The name shown for each person: masked when asked (an unknown name
    stays empty: a masked view never shows a person's number, which may be
    the 身份证号), else the name, or the id when there is no name."""
    if mask:
        return masking.mask_series(frame["name"])
    return frame["name"].astype(object).where(frame["name"].notna(), frame["person_id"]).astype(str)


def spread(values, gap: float) -> np.ndarray:
    """Label positions for ``values`` (any order) at least ``gap`` apart, each
    as near its own value as the others allow, in the same order."""
    v = np.asarray(values, dtype=float)
    if len(v) < 2:
        return v.copy()
    order = np.argsort(v, kind="stable")
    p = v[order].copy()
    for i in range(1, len(p)):              # push down what sits on the one above
        p[i] = max(p[i], p[i - 1] + gap)
    # centre each pushed run on its values again (a run may then touch the one above: push once more)
    overshoot = p - v[order]
    p -= overshoot.max() / 2 if overshoot.max() > 0 else 0
    for i in range(1, len(p)):
        p[i] = max(p[i], p[i - 1] + gap)
    out = np.empty_like(p)
    out[order] = p
    return out


def rank_slope(moved: pd.DataFrame, lang: str, projector: bool = False, mask: bool = False) -> go.Figure:
    """Ranks baseline -> scenario for the people who move most (rank 1 on top).

    Names stand beside the ends of their lines, spread apart so that no two
    overlap however close the ranks (issue 10: ranks 11–14 printed on top of
    each other); a thin grey stroke leads from a moved label to its point."""
    t = lambda key, **p: i18n.t(key, lang, **p)  # noqa: E731
    fig = go.Figure()
    names = _label(moved, mask).tolist()
    size = 18 if projector else 13
    height = 640 if projector else 520
    before = moved["baseline_rank"].to_numpy(dtype=float)
    after = moved["rank"].to_numpy(dtype=float)
    lo, hi = float(min(before.min(), after.min())), float(max(before.max(), after.max()))
    # One label's height in rank units, on an axis whose span itself grows
    # with the spread labels: settle the two together (a few rounds at most).
    plot_px = height - 170                   # the plot area of a figure this tall
    label_px = size * 1.35
    span = max(hi - lo + 1, 1.0)
    for _ in range(8):
        gap = span * label_px / plot_px
        left, right = spread(before, gap), spread(after, gap)
        top = float(min(left.min(), right.min())) - gap
        needed = float(max(left.max(), right.max())) + gap - top
        if needed <= span + 1e-9:
            break
        span = needed
    colours = [UP if c > 0 else DOWN for c in moved["rank_change"]]
    for i in range(len(moved)):              # a dozen lines at most
        fig.add_scatter(
            x=[0, 1], y=[before[i], after[i]], mode="lines+markers",
            line={"color": colours[i], "width": 3}, marker={"size": 10, "color": colours[i]},
            hovertext=t("whatif.chart.slope_hover", name=names[i], before=int(before[i]), after=int(after[i])),
            hoverinfo="text", showlegend=False, customdata=[i, i])  # a picked point: its row of ``moved``
        for x0, y0, xl, yl in ((0, before[i], -0.06, left[i]), (1, after[i], 1.06, right[i])):
            if abs(yl - y0) > 1e-9:
                fig.add_scatter(x=[x0, xl], y=[y0, yl], mode="lines", line={"color": "#999", "width": 1},
                                hoverinfo="skip", showlegend=False)
    for side, x, ys, pos, ranks in (("left", -0.06, left, "middle left", before),
                                    ("right", 1.06, right, "middle right", after)):
        text = [f"{n} {int(r)}" if side == "left" else f"{int(r)} {n}" for n, r in zip(names, ranks)]
        fig.add_scatter(x=[x] * len(ys), y=ys, mode="text", text=text, textposition=pos,
                        textfont={"size": size, "color": colours}, hoverinfo="skip", showlegend=False,
                        meta={"labels": side})
    fig.update_xaxes(tickvals=[0, 1], ticktext=[t("whatif.baseline"), t("whatif.scenario")],
                     range=[-0.9, 1.9], showgrid=False, zeroline=False)
    # The axis holds every point and label with half a label to spare at
    # both ends (its bottom point was cut off), and names ranks only: no
    # rank 0 or below above rank 1.
    first = float(min(left.min(), right.min(), lo)) - gap
    last = float(max(left.max(), right.max(), hi)) + gap
    fig.update_yaxes(range=[last, first], zeroline=False, tickvals=rank_ticks(lo, hi))   # reversed: rank 1 on top
    style(fig, projector=projector, title=t("whatif.chart.slope_title"), y_title=t("whatif.col.rank"),
          height=height, legend=False)
    return fig


def rank_ticks(lo: float, hi: float, most: int = 8) -> list[int]:
    """Whole ranks from ``lo`` to ``hi`` at a round step (1, 2, 5, 10, 20 …),
    at most about ``most`` of them, never below rank 1."""
    lo, hi = max(1, int(np.floor(lo))), max(1, int(np.ceil(hi)))
    step = next(s for s in (m * 10 ** e for e in range(7) for m in (1, 2, 5)) if (hi - lo) / s <= most)
    start = lo if step == 1 else max(1, int(np.ceil(lo / step)) * step)
    return [lo] + [t for t in range(start, hi + 1, step) if t - lo >= step / 2]


def grade_counts(counts: pd.DataFrame, lang: str, projector: bool = False) -> go.Figure:
    """Counts per grade, baseline beside scenario."""
    t = lambda key, **p: i18n.t(key, lang, **p)  # noqa: E731
    labels = [i18n.value_label(g, lang) for g in counts["grade"]]
    colours = [palette.GRADE_COLOURS.get(g, "#555") for g in counts["grade"]]
    fig = go.Figure()
    fig.add_bar(name=t("whatif.baseline"), x=labels, y=counts["baseline"], marker_color=colours,
                marker_opacity=0.4, marker_pattern_shape="/", text=counts["baseline"], textposition="outside")
    fig.add_bar(name=t("whatif.scenario"), x=labels, y=counts["scenario"], marker_color=colours,
                text=counts["scenario"], textposition="outside")
    fig.update_layout(barmode="group", bargap=0.3)
    style(fig, projector=projector, title=t("whatif.chart.grades_title"), y_title=t("whatif.axis.people"),
          height=560 if projector else 400)
    _legend_below_title(fig)
    top = float(max(counts["baseline"].max(), counts["scenario"].max(), 1))
    fig.update_yaxes(range=[0, top * 1.15])       # room for the value labels
    return fig


def section_shifts(shifts: pd.DataFrame, lang: str, projector: bool = False) -> go.Figure:
    """Mean composite shift per section (scenario − baseline), horizontal bars."""
    t = lambda key, **p: i18n.t(key, lang, **p)  # noqa: E731
    d = shifts.sort_values("shift")
    labels = [i18n.value_label(s, lang) for s in d["section"]]
    fig = go.Figure()
    fig.add_bar(y=labels, x=d["shift"], orientation="h",
                marker_color=[palette.section_colour(s) for s in d["section"]],
                text=[("+" if x > 0 else "") + figures.value("whatif_shift", x, lang) for x in d["shift"]], textposition="outside",
                customdata=np.stack([d["baseline_mean"], d["scenario_mean"], d["n"]], axis=1),
                hovertemplate=t("whatif.chart.shift_hover"))
    span = float(np.nanmax(np.abs(d["shift"]))) if len(d) else 1.0
    span = max(span, 0.05) * 1.35
    fig.update_xaxes(range=[-span, span], zeroline=True, zerolinecolor="#444", zerolinewidth=2)
    style(fig, projector=projector, title=t("whatif.chart.shift_title"), x_title=t("whatif.axis.shift"),
          height=max(320, 60 * len(d) + 120), legend=False)
    return fig


def rank_bands(stab: pd.DataFrame, lang: str, projector: bool = False, mask: bool = False) -> go.Figure:
    """Each person's rank range under perturbed weights (a band) and their
    scenario rank (a dot), coloured by the scenario grade; rank 1 on top."""
    t = lambda key, **p: i18n.t(key, lang, **p)  # noqa: E731
    d = stab.reset_index(drop=True)
    names = _label(d, mask)
    ylab = [f"{n} ({r})" for n, r in zip(names, d["rank"])]
    fig = go.Figure()
    for grade, part in d.groupby("grade", sort=False):          # one trace per grade (≤ 4)
        idx = part.index.to_numpy()
        colour = palette.GRADE_COLOURS.get(grade, "#555")
        gname = i18n.value_label(grade, lang)
        fig.add_bar(y=[ylab[i] for i in idx], x=(part["rank_max"] - part["rank_min"] + 0.6),
                    base=part["rank_min"] - 0.3, orientation="h", marker_color=colour, marker_opacity=0.35,
                    name=gname, legendgroup=gname,
                    customdata=np.stack([part["rank_min"], part["rank_max"], part["top_share"] * 100], axis=1),
                    hovertemplate=t("whatif.chart.band_hover"))
        fig.add_scatter(y=[ylab[i] for i in idx], x=part["rank"], mode="markers", marker={"color": colour, "size": 9},
                        name=gname, legendgroup=gname, showlegend=False, hoverinfo="skip")
    fig.update_yaxes(categoryorder="array", categoryarray=ylab, autorange="reversed")
    style(fig, projector=projector, title=t("whatif.chart.band_title"), x_title=t("whatif.col.rank"),
          height=max(360, (30 if projector else 22) * len(d) + 160))
    _legend_below_title(fig)
    return fig


def _legend_below_title(fig: go.Figure) -> None:
    """Room between the title and the plot for the horizontal legend."""
    fig.update_layout(margin={"t": 110}, legend={"y": 1.0, "yanchor": "bottom"})
