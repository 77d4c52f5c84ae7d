"""Figures of the assessment pages (distribution, sections, person).

Pure: DataFrames in, plotly figures out; text through i18n in ``lang``,
names masked when ``mask``; colours from the shared palette so a section,
grade, dimension or source has one colour on every page.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from cadre import figures, i18n, masking
from cadre.charts import palette, style
from cadre.settings import DIMENSIONS


def _t(key, lang, **p):
    return i18n.t(key, lang, **p)


def _v(value, lang):
    return i18n.value_label(value, lang)


def _names(frame: pd.DataFrame, mask: bool) -> pd.Series:
    """The hover name of each person: masked when asked, and then never the
    number (for a 任免审批表 person it is the 身份证号)."""
    if "name" in frame.columns:
        return masking.apply(frame[["name"]], mask)["name"]
    return pd.Series("", index=frame.index) if mask else frame["person_id"]


def _bands(fig: go.Figure, bands, lang: str, projector: bool, x_min: float = 0.0) -> None:
    """Grade bands as shaded vertical strips with their grade written on top
    (bands left of ``x_min``, the axis start, are not drawn)."""
    for grade, lo, hi in bands:
        if hi <= x_min:
            continue
        lo = max(lo, x_min)
        fig.add_vrect(x0=lo, x1=hi, fillcolor=palette.GRADE_COLOURS.get(grade, "#ccc"), opacity=0.08,
                      line_width=0, layer="below")
        fig.add_vline(x=lo, line={"color": palette.GRADE_COLOURS.get(grade, "#999"), "width": 1, "dash": "dot"})
        fig.add_annotation(x=(lo + hi) / 2, y=1.0, yref="paper", yanchor="bottom", showarrow=False,
                           text=_v(grade, lang), font={"color": palette.GRADE_COLOURS.get(grade, "#333"),
                                                        "size": 18 if projector else 13})


def _x_range(values: list[pd.Series], bands) -> list[float]:
    data = pd.concat([v.dropna() for v in values if len(v)]) if any(len(v) for v in values) else pd.Series([60.0])
    lo = min(float(data.min()), 100.0) - 3
    return [max(0.0, np.floor(lo / 5) * 5), 100.5]


# On the projector the histogram comes first under the page's title and fits a
# 1280×720 screen whole with its axis labels; the figures follow it (issue 20.18).
PROJECTOR_HISTOGRAM_HEIGHT = 500


def histogram(people: pd.DataFrame, bands, lang: str, projector: bool = False,
              previous: pd.DataFrame | None = None, previous_label: str | None = None,
              current_label: str | None = None) -> go.Figure:
    """Histogram of composites with grade bands; the previous period overlaid.

    Binned here, on the server (1-point bins): each trace carries one count
    per bin, not one value per person, so a city's histogram is as small as
    an office's (issue 12)."""
    fig = go.Figure()
    x_range = _x_range([people["composite"]] + ([previous["composite"]] if previous is not None
                                                and len(previous) else []), bands)
    edges = np.arange(x_range[0], 102.0, 1.0)
    xbins = {"start": x_range[0], "end": 101, "size": 1.0}
    now = _bin_counts(people["composite"], edges)
    fig.add_histogram(x=now[0], y=now[1], histfunc="sum", name=current_label, xbins=xbins,
                      marker={"color": palette.SECTION_COLOURS[0]}, opacity=0.85,
                      hovertemplate="%{x}: %{y}<extra>" + (current_label or "") + "</extra>")
    tallest = max([1, int(now[1].max(initial=0))])
    if previous is not None and len(previous):
        # The previous period as an unfilled outline over this period's bars:
        # two filled, overlaid bar sets read as one stacked bar (issue 10).
        before = _bin_counts(previous["composite"], edges)
        fig.add_histogram(x=before[0], y=before[1], histfunc="sum", name=previous_label, xbins=xbins,
                          marker={"color": "rgba(0,0,0,0)", "line": {"color": palette.PREVIOUS_OUTLINE, "width": 2.5}},
                          hovertemplate="%{x}: %{y}<extra>" + (previous_label or "") + "</extra>")
        tallest = max(tallest, int(before[1].max(initial=0)))
    fig.update_layout(barmode="overlay", bargap=0.05)
    _bands(fig, bands, lang, projector, x_range[0])
    fig.update_xaxes(range=x_range)
    # Whole-number ticks: counts per 1-point bin.
    fig.update_yaxes(rangemode="tozero", tickformat="d", tick0=0, dtick=max(1, int(np.ceil(tallest / 6))))
    style(fig, projector=projector, x_title=_t("assessment.axis.composite", lang),
          y_title=_t("assessment.axis.people", lang), height=PROJECTOR_HISTOGRAM_HEIGHT if projector else 420)
    fig.update_layout(margin={"t": 70}, legend={"y": 1.08})
    return fig


def _bin_counts(values: pd.Series, edges: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(bin centres, counts) of the non-empty 1-point bins [a, a+1) (the last
    bin closed, as plotly bins them); missing composites are not counted."""
    counts, _ = np.histogram(values.dropna().astype(float), bins=edges)
    centres = edges[:-1] + 0.5
    keep = counts > 0
    return centres[keep], counts[keep]


# Above this many people a box is drawn from its quartiles computed here
# (with its outliers as named points), not from every person's value.
BOX_POINTS_MAX = 2000


def _add_box(fig: go.Figure, values: pd.Series, names: pd.Series, label, colour: str,
             horizontal: bool, value_format: str, unit: str = "", points: bool = True) -> None:
    """One box: every person as a jittered point for an office; for a city the
    box from its quartiles (Tukey fences, as plotly draws them) and only the
    points outside the fences, so the figure stays small. Without ``points``
    (a role that may not see people) the box from its quartiles alone: no
    person's value or name reaches the browser."""
    pos = "x" if horizontal else "y"
    hover = "%{text}: %{" + pos + ":" + value_format + "}" + unit + "<extra></extra>"
    if points and values.notna().sum() <= BOX_POINTS_MAX:
        fig.add_box(**{pos: values}, name=label, marker={"color": colour}, boxpoints="all", jitter=0.4,
                    pointpos=0, text=names, hovertemplate=hover)
        return
    v = values.dropna().astype(float)
    if v.empty:
        return
    q1, median, q3 = np.quantile(v, [0.25, 0.5, 0.75])
    iqr = q3 - q1
    inside = v[(v >= q1 - 1.5 * iqr) & (v <= q3 + 1.5 * iqr)]
    other = "y" if horizontal else "x"
    fig.add_box(**{other: [label]}, q1=[q1], median=[median], q3=[q3], mean=[float(v.mean())],
                lowerfence=[float(inside.min())], upperfence=[float(inside.max())], name=label,
                orientation="h" if horizontal else "v", marker={"color": colour}, boxpoints=False,
                hoverinfo="skip")
    out = v.index[(v < q1 - 1.5 * iqr) | (v > q3 + 1.5 * iqr)]
    if points and len(out):
        fig.add_scatter(**{pos: v[out], other: [label] * len(out)}, mode="markers", name=label, showlegend=False,
                        marker={"color": colour, "size": 5}, text=names.loc[out], hovertemplate=hover)


def box(people: pd.DataFrame, lang: str, mask: bool, projector: bool = False,
        previous: pd.DataFrame | None = None, previous_label: str | None = None,
        current_label: str | None = None, points: bool = True) -> go.Figure:
    """Horizontal box plots of composites, current and previous period
    (``points`` False: boxes only, no person's mark)."""
    fig = go.Figure()
    fmt = figures.d3("composite")
    if previous is not None and len(previous):
        _add_box(fig, previous["composite"], _names(previous, mask), previous_label, palette.BASELINE, True, fmt,
                 points=points)
    _add_box(fig, people["composite"], _names(people, mask), current_label, palette.SECTION_COLOURS[0], True, fmt,
             points=points)
    style(fig, projector=projector, x_title=_t("assessment.axis.composite", lang),
          height=420 if projector else 300, legend=False)
    return fig


def dimensions(long: pd.DataFrame, lang: str, mask: bool, projector: bool = False,
               points: bool = True) -> go.Figure:
    """Per-dimension distributions (share of the dimension's maximum, %);
    ``points`` False: boxes only, no person's mark."""
    fig = go.Figure()
    names = masking.apply(long[["name"]], mask)["name"]
    for d in DIMENSIONS:
        sel = long["dimension"] == d
        _add_box(fig, long.loc[sel, "pct"], names[sel], _v(d, lang), palette.DIMENSION_COLOURS[d], False,
                 figures.d3("dimension_pct"), "%", points=points)
    style(fig, projector=projector, y_title=figures.label("dimension_pct", lang), legend=False,
          height=520 if projector else 400)
    return fig


def grade_bars(grades: pd.DataFrame, lang: str, projector: bool = False, has_official: bool = True) -> go.Figure:
    """Computed beside official grade counts, one colour per grade."""
    labels = [_v(g, lang) for g in grades["grade"]]
    colours = [palette.GRADE_COLOURS.get(g, "#888") for g in grades["grade"]]
    fig = go.Figure()
    fig.add_bar(x=labels, y=grades["computed"], name=_t("assessment.computed", lang),
                marker={"color": colours}, text=grades["computed"], textposition="outside")
    if has_official:
        fig.add_bar(x=labels, y=grades["official"], name=_t("assessment.official", lang),
                    marker={"color": colours, "opacity": 0.45, "line": {"color": colours, "width": 2}},
                    text=grades["official"], textposition="outside")
    top = max(1, int(np.nanmax(pd.concat([grades["computed"], grades["official"]]).astype(float).fillna(0))))
    fig.update_yaxes(range=[0, top * 1.2])
    fig.update_layout(barmode="group")
    style(fig, projector=projector, y_title=_t("assessment.axis.people", lang),
          height=460 if projector else 340)
    return fig


PROJECTOR_SECTIONS_HEIGHT = 420


def section_means(stats: pd.DataFrame, lang: str, projector: bool = False) -> go.Figure:
    """Mean composite per section with its 95 % interval; small sections hatched.

    Each bar's customdata is its section (stored name), for click-through."""
    s = stats.sort_values("mean", ascending=False)
    colours = [palette.section_colour(x) for x in s["section"]]
    err_hi = (s["ci_high"] - s["mean"]).fillna(0)
    err_lo = (s["mean"] - s["ci_low"]).fillna(0)
    fig = go.Figure(go.Bar(
        x=[f"{_v(x, lang)}<br>n={n} · {figures.words('mean', m, lang)}" for x, n, m in zip(s["section"], s["n"], s["mean"])], y=s["mean"],
        customdata=s["section"],
        marker={"color": colours, "pattern": {"shape": ["x" if small else "" for small in s["small"]],
                                              "fgcolor": "#333", "fillmode": "overlay"}},
        error_y={"type": "data", "array": err_hi, "arrayminus": err_lo, "color": "#444", "thickness": 1.5},
        hovertemplate="%{x}<br>" + figures.label("mean", lang) + " %{y:" + figures.d3("mean") + "}<extra></extra>",
    ))
    lo = float(np.nanmin(s["ci_low"].fillna(s["mean"]))) if len(s) else 60.0
    fig.update_yaxes(range=[max(0.0, np.floor((lo - 5) / 5) * 5), 100])
    # On the projector the chart and its section names fit a 1280×720 screen
    # under the page's title and a warning.
    style(fig, projector=projector, y_title=_t("assessment.axis.mean_ci", lang),
          height=PROJECTOR_SECTIONS_HEIGHT if projector else 420, legend=False)
    fig.update_layout(clickmode="event+select")
    return fig


def heatmap(heat: pd.DataFrame, lang: str, projector: bool = False) -> go.Figure:
    """Section × dimension: mean share of the dimension's maximum (%)."""
    z = heat.to_numpy(dtype=float)
    fig = go.Figure(go.Heatmap(
        z=z, x=[_v(d, lang) for d in heat.columns], y=[_v(s, lang) for s in heat.index],
        colorscale="Blues", text=np.round(z, figures.get("dimension_pct").decimals), texttemplate="%{text}",
        textfont={"size": 18 if projector else 13},
        colorbar={"title": {"text": "%"}},
        hovertemplate="%{y} · %{x}: %{z:" + figures.d3("dimension_pct") + "}%<extra></extra>"))
    fig.update_yaxes(autorange="reversed")
    style(fig, projector=projector, height=max(320, 48 * len(heat) + 120))
    return fig


def source_gaps(gaps: pd.DataFrame, lang: str, projector: bool = False) -> go.Figure:
    """Per section: 科室自评 − 主任室考评 and 民主评议 − 实绩考核 (points)."""
    sec = [_v(s, lang) for s in gaps["section"]]
    fig = go.Figure()
    fig.add_bar(y=sec, x=gaps["self_gap"], orientation="h", name=_t("assessment.gap.self", lang),
                marker={"color": palette.SOURCE_COLOURS["科室自评"]},
                hovertemplate="%{y}: %{x:" + figures.d3("self_gap", signed=True) + "}<extra></extra>")
    fig.add_bar(y=sec, x=gaps["peer_gap"], orientation="h", name=_t("assessment.gap.peer", lang),
                marker={"color": palette.SOURCE_COLOURS["民主评议"]},
                hovertemplate="%{y}: %{x:" + figures.d3("self_gap", signed=True) + "}<extra></extra>")
    fig.add_vline(x=0, line={"color": "#333", "width": 1})
    fig.update_layout(barmode="group")
    fig.update_yaxes(autorange="reversed")
    style(fig, projector=projector, x_title=_t("assessment.axis.gap", lang),
          height=max(340, 56 * len(gaps) + 140))
    return fig


def trend(tr: pd.DataFrame, lang: str, projector: bool = False, office: pd.DataFrame | None = None,
          sections: list[str] | None = None) -> go.Figure:
    """Mean composite per section over the last quarters, one line per
    section (only ``sections`` when given), with the office mean (``office``:
    period, mean) as a thick dashed line."""
    fig = go.Figure()
    if office is not None and len(office):
        name = _t("assessment.office_mean", lang)
        fig.add_scatter(x=[i18n.format_period(p, lang) for p in office["period"]], y=office["mean"],
                        mode="lines+markers", name=name,
                        line={"color": "#111", "width": 5 if projector else 4, "dash": "dash"},
                        hovertemplate=name + " %{x}: %{y:" + figures.d3("mean") + "}<extra></extra>")
    if sections is not None:
        tr = tr[tr["section"].isin(sections)]
    for section, g in tr.groupby("section", sort=True):
        fig.add_scatter(x=[i18n.format_period(p, lang) for p in g["period"]], y=g["mean"],
                        mode="lines+markers", name=_v(section, lang),
                        line={"color": palette.section_colour(section), "width": 3 if projector else 2},
                        hovertemplate=_v(section, lang) + " %{x}: %{y:" + figures.d3("mean") + "}<extra></extra>")
    style(fig, projector=projector, y_title=figures.label("mean", lang),
          height=560 if projector else 420)
    return fig


def person_history(history: pd.DataFrame, lang: str, projector: bool = False) -> go.Figure:
    """A person's composite over time (quarters as a line, annual periods as
    large markers) and the dimension shares as dotted lines, on a date axis."""
    fig = go.Figure()
    labels = [i18n.format_period(p, lang) for p in history["period"]]
    h = history.assign(label=labels)
    annual = h["period_kind"] == "annual"
    main = h[~annual] if (~annual).any() else h
    for d, col in zip(DIMENSIONS, ["de_pct", "neng_pct", "qin_pct", "ji_pct"]):
        if col in main.columns:
            fig.add_scatter(x=main["period_end"], y=main[col], mode="lines", name=_v(d, lang), text=main["label"],
                            line={"color": palette.DIMENSION_COLOURS[d], "dash": "dot"},
                            hovertemplate="%{text}: %{y:" + figures.d3("dimension_pct") + "}%<extra>" + _v(d, lang) + "</extra>")
    fig.add_scatter(x=main["period_end"], y=main["composite"], mode="lines+markers", text=main["label"],
                    name=_t("assessment.composite", lang), line={"color": "#111", "width": 3},
                    hovertemplate="%{text}: %{y:" + figures.d3("composite") + "}<extra></extra>")
    if annual.any() and (~annual).any():
        a = h[annual]
        fig.add_scatter(x=a["period_end"], y=a["composite"], mode="markers", text=a["label"],
                        name=_t("assessment.annual", lang),
                        marker={"symbol": "diamond", "size": 16 if projector else 12, "color": "#111"},
                        hovertemplate="%{text}: %{y:" + figures.d3("composite") + "}<extra></extra>")
    lows = history[["composite"] + [c for c in ["de_pct", "neng_pct", "qin_pct", "ji_pct"] if c in history]]
    fig.update_yaxes(range=[max(0.0, np.floor((np.nanmin(lows.to_numpy(dtype=float)) - 5) / 5) * 5), 101])
    if (~annual).any():
        _quarter_ticks(fig, h[~annual], lang, years=h.loc[annual, "period_end"], projector=projector)
    else:
        _year_ticks(fig, history["period_end"], lang)
    style(fig, projector=projector, y_title=_t("assessment.axis.score_pct", lang),
          height=520 if projector else 400)
    return fig


# Quarter ticks an axis holds before their names run together; beyond this
# (more than five years of quarters) the axis names years, hover names quarters.
MAX_QUARTER_TICKS = 20


def _quarter_ticks(fig: go.Figure, quarters: pd.DataFrame, lang: str, years=(), projector: bool = False) -> None:
    """A tick at every quarter plotted, named short (Q1-Q4) with the year
    written under the year's first quarter plotted and under its fourth,
    where the year's annual assessment sits; an annual assessment of a year
    without quarters (``years``: their period ends) gets its year's tick.
    More quarters than fit (``MAX_QUARTER_TICKS``, half on the projector's
    larger text) are thinned to one tick per year, at its year end."""
    q = quarters.drop_duplicates("period_end").sort_values("period_end")
    ends = pd.to_datetime(q["period_end"])
    if len(q) > (MAX_QUARTER_TICKS // 2 if projector else MAX_QUARTER_TICKS):
        _year_ticks(fig, pd.concat([ends, pd.to_datetime(pd.Series(list(years), dtype="object"))]), lang)
        fig.update_xaxes(tickangle=0)
        return
    number = q["period"].astype(str).str.extract(r"[Qq](\d)$")[0].fillna("0").astype(int).tolist()
    text, seen = [], set()
    for end, n in zip(ends, number):
        year = i18n.format_period(str(end.year), lang)
        short = _t(f"assessment.axis.quarter.{n}", lang) if 1 <= n <= 4 else year
        first = end.year not in seen
        seen.add(end.year)
        text.append(f"{short}<br>{year}" if 1 <= n <= 4 and (n == 4 or first) else short)
    ticks = dict(zip(ends, text))
    for end in pd.to_datetime(pd.Series(list(years), dtype="object")).drop_duplicates():
        ticks.setdefault(end, i18n.format_period(str(end.year), lang))
    ticks = dict(sorted(ticks.items()))
    fig.update_xaxes(tickvals=list(ticks), ticktext=list(ticks.values()), tickangle=0)


def _year_ticks(fig: go.Figure, ends: pd.Series, lang: str) -> None:
    """Year ticks at each year's end, where its annual assessment sits."""
    years = sorted(pd.to_datetime(ends).dt.year.unique())
    fig.update_xaxes(tickvals=[pd.Timestamp(y, 12, 31) for y in years],
                     ticktext=[i18n.format_period(str(y), lang) for y in years])


def person_sources(by_source: pd.DataFrame, lang: str, projector: bool = False) -> go.Figure:
    """A person's composite by source over time."""
    fig = go.Figure()
    b = by_source
    if (b["period_kind"] == "quarterly").any():
        b = b[b["period_kind"] == "quarterly"]  # one point per date: the quarters
    for source, g in b.sort_values("period_end").groupby("source", sort=False):
        fig.add_scatter(x=g["period_end"], y=g["composite"], text=[i18n.format_period(p, lang) for p in g["period"]],
                        mode="lines+markers", name=_v(source, lang),
                        line={"color": palette.SOURCE_COLOURS.get(source, "#888")},
                        hovertemplate="%{text}: %{y:" + figures.d3("composite") + "}<extra>" + _v(source, lang) + "</extra>")
    _year_ticks(fig, by_source["period_end"], lang)
    style(fig, projector=projector, y_title=_t("assessment.axis.composite", lang),
          height=520 if projector else 400)
    return fig
