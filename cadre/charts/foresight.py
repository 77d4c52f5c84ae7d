"""Figures of the projection page (队伍预测): pure, DataFrames in, plotly
figures out, legible on the projector at 1280×720 (``style(projector=True)``:
text >= 18 px, thick lines, values printed at the last year only)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from cadre import figures, i18n
from cadre.charts import style

# one colour-blind-safe colour per scenario (Okabe-Ito), dashes tell them apart in print too
COLOURS = {"hire0": "#0072B2", "hire3": "#009E73", "hire6": "#E69F00", "later": "#CC79A7", "faster": "#D55E00"}
DASHES = {"hire0": "solid", "hire3": "dash", "hire6": "dot", "later": "dashdot", "faster": "longdash"}


def scenario_label(name: str, lang: str) -> str:
    return i18n.t(f"foresight.scenario.{name}", lang)


def lines(years: dict, metric: str, lang: str, projector: bool = False,
          band: pd.DataFrame | None = None, band_of: str | None = None) -> go.Figure:
    """``metric`` (headcount or mean_age) year by year, one line per scenario
    (``years``: {scenario: its years frame}); the simulation band of
    ``band_of`` shaded behind when given."""
    fig = go.Figure()
    if band is not None and band_of in years:
        lo, hi = band[f"{metric}_p10"], band[f"{metric}_p90"]
        fig.add_scatter(x=band["year"], y=hi, mode="lines", line={"width": 0}, showlegend=False, hoverinfo="skip")
        fig.add_scatter(x=band["year"], y=lo, mode="lines", line={"width": 0}, fill="tonexty",
                        fillcolor="rgba(0,114,178,0.15)", name=i18n.t("foresight.chart.band", lang),
                        hoverinfo="skip")
    width = 5 if projector else 3
    for name, frame in years.items():
        y = pd.to_numeric(frame[metric], errors="coerce")
        text = [""] * (len(y) - 1) + [figures.value(metric, y.iloc[-1], lang) if len(y) and y.iloc[-1] == y.iloc[-1]
                                      else ""]
        fig.add_scatter(x=frame["year"], y=y, mode="lines+markers+text", name=scenario_label(name, lang),
                        line={"width": width, "color": COLOURS.get(name), "dash": DASHES.get(name)},
                        marker={"size": 10 if projector else 7}, text=text, textposition="middle right",
                        cliponaxis=False,
                        hovertemplate="%{x}: %{y:" + figures.d3(metric) + "}<extra>" + scenario_label(name, lang)
                        + "</extra>")
    vals = np.concatenate([pd.to_numeric(f[metric], errors="coerce").to_numpy(dtype=float) for f in years.values()]
                          ) if years else np.zeros(1)
    if np.isfinite(vals).any():
        lo, hi = float(np.nanmin(vals)), float(np.nanmax(vals))
        pad = max((hi - lo) * 0.15, 1.0)
        fig.update_yaxes(range=[lo - pad, hi + pad])
    fig.update_xaxes(dtick=1, tickformat="d")
    fig.update_layout(margin={"r": 90})
    # On the projector the chart sits under the page's title and one row of
    # controls and fits a 1280×720 screen with its axis labels.
    return style(fig, projector=projector, title=figures.label(metric, lang), height=400 if projector else 380)


def echelon(years: dict, ladder: list, lang: str, projector: bool = False) -> go.Figure:
    """People per rank (梯次) at the last projected year, one bar group per scenario."""
    fig = go.Figure()
    for name, frame in years.items():
        last = frame.iloc[-1]["by_rank"]
        fig.add_bar(x=[i18n.value_label(r, lang) for r in ladder], y=[float(last.get(r, 0.0)) for r in ladder],
                    name=scenario_label(name, lang), marker_color=COLOURS.get(name),
                    hovertemplate="%{x}: %{y:" + figures.d3("headcount") + "}<extra>" + scenario_label(name, lang)
                    + "</extra>")
    year = int(next(iter(years.values())).iloc[-1]["year"]) if years else None
    fig.update_layout(barmode="group", bargap=0.2)
    return style(fig, projector=projector, title=i18n.t("foresight.chart.echelon", lang, year=year),
                 height=420 if projector else 380)
