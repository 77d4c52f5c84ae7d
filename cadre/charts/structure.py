"""Figures of the structure and pipeline pages (pure: DataFrames in, plotly
figures out). Labels in the UI language through ``cadre.i18n``; names only
as given (the caller masks them)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from cadre import figures, i18n
from cadre.charts import palette, style

EDU_MODE_COLOURS = {"全日制": "#0072B2", "在职": "#E69F00", None: "#BBBBBB"}
FLOW_COLOURS = {"promotion": "#1a7f37", "rotation": "#0072B2", "hire": "#009E73",
                "transfer_in": "#56B4E9", "transfer_out": "#D55E00", "retire": "#7F7F7F"}
TARGET = "#C0392B"


def _v(value, lang):
    return i18n.value_label(value, lang) if value is not None and value == value else i18n.t("structure.not_given", lang)


def _t(key, lang, **p):
    return i18n.t(key, lang, **p)


def _nice_step(peak: int) -> int:
    """A tick step of 1, 2, 5, 10, 20, 50 … giving about four ticks up to ``peak``."""
    raw = max(peak / 4, 1)
    magnitude = 10 ** int(np.floor(np.log10(raw)))
    return int(next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw))


# On the projector a chart sits under the page's title, its date pickers and
# tabs, and fits a 1280×720 screen whole with its axis labels (issue 20.18).
PROJECTOR_HEIGHT = 380


def _fit(projector: bool) -> int | None:
    return PROJECTOR_HEIGHT if projector else None


def _legend_right(fig: go.Figure) -> go.Figure:
    """The legend at the top right, clear of the title at the top left."""
    fig.update_layout(legend={"x": 1, "xanchor": "right", "y": 1.02, "yanchor": "bottom"})
    return fig


def pyramid(age_gender: pd.DataFrame, lang: str, projector: bool = False) -> go.Figure:
    """Age pyramid: men to the left, women to the right, bands bottom-up."""
    fig = go.Figure()
    bands = [str(b) for b in dict.fromkeys(age_gender["band"].dropna())]
    counts = pd.to_numeric(age_gender["n"], errors="coerce").fillna(0)
    peak = max(int(counts.max()) if len(counts) else 0, 1)
    for gender, sign in (("男", -1), ("女", 1)):
        part = age_gender[age_gender["gender"] == gender].drop_duplicates("band").set_index("band")
        n = pd.to_numeric(part["n"], errors="coerce").reindex(bands).fillna(0).astype(int).tolist()
        # Empty bands get no bar and no label at all (a zero-length bar with
        # an outside label was drawn as "NaN NaN" on the review pack's slide).
        fig.add_bar(y=bands, x=[sign * v if v > 0 else None for v in n], orientation="h",
                    name=_v(gender, lang), marker_color=palette.GENDER_COLOURS.get(gender),
                    text=[str(v) if v > 0 else None for v in n], textposition="outside", customdata=n,
                    cliponaxis=False,
                    hovertemplate="%{y}: %{customdata}<extra>" + _v(gender, lang) + "</extra>")
    step = _nice_step(peak)
    ticks = np.arange(0, peak + step, step)
    vals = sorted(set((-ticks).tolist() + ticks.tolist()))
    fig.update_layout(barmode="relative", bargap=0.15)
    fig.update_xaxes(tickvals=vals, ticktext=[str(abs(v)) for v in vals], range=[-peak * 1.25, peak * 1.25])
    return _legend_right(style(fig, projector=projector, height=_fit(projector), title=_t("structure.chart.pyramid", lang),
                               x_title=_t("structure.axis.people", lang),
                               y_title=_t("structure.axis.age_band", lang)))


def echelon(age_rank: pd.DataFrame, lang: str, projector: bool = False) -> go.Figure:
    """Age band × rank heatmap: does every rank have a younger tier behind it?"""
    pivot = age_rank.pivot_table(index="band", columns="rank", values="n", aggfunc="sum", sort=False)
    ranks = list(dict.fromkeys(age_rank.sort_values(["step", "rank"])["rank"]))
    bands = list(dict.fromkeys(age_rank.sort_values("band_order")["band"]))
    pivot = pivot.reindex(index=bands, columns=ranks).fillna(0).astype(int)
    text = pivot.astype(str).where(pivot > 0, "")
    fig = go.Figure(go.Heatmap(
        z=pivot.values, x=[_v(r, lang) for r in ranks], y=bands, text=text.values,
        texttemplate="%{text}", colorscale="Blues", showscale=False, xgap=2, ygap=2,
        hovertemplate="%{y} · %{x}: %{z}<extra></extra>"))
    return style(fig, projector=projector, height=_fit(projector), title=_t("structure.chart.echelon", lang),
                 x_title=_t("col.rank", lang), y_title=_t("structure.axis.age_band", lang))


def education(edu: pd.DataFrame, lang: str, projector: bool = False) -> go.Figure:
    """People by education (high to low), stacked by full-time / in-service."""
    fig = go.Figure()
    order = list(dict.fromkeys(edu.sort_values("education_order")["education"]))
    for mode, part in edu.groupby("mode_order", sort=True, dropna=False):
        m = part["education_mode"].iloc[0]
        m = None if m is None or m != m else m
        n = part.set_index("education").reindex(order)["n"].fillna(0).astype(int)
        if not n.sum():
            continue
        fig.add_bar(y=[_v(e, lang) for e in order], x=n, orientation="h", name=_v(m, lang),
                    marker_color=EDU_MODE_COLOURS.get(m, "#BBBBBB"), text=n.where(n > 0, None),
                    textposition="inside")
    fig.update_layout(barmode="stack")
    fig.update_yaxes(autorange="reversed")
    return _legend_right(style(fig, projector=projector, height=_fit(projector), title=_t("structure.chart.education", lang),
                               x_title=_t("structure.axis.people", lang)))


def counts_bar(frame: pd.DataFrame, label_col: str, lang: str, title_key: str,
               projector: bool = False, translate: bool = True, colour: str = "#0072B2") -> go.Figure:
    """A simple bar of counts (political status, years of service)."""
    labels = [(_v(x, lang) if translate else (x if x is not None and x == x else _t("structure.not_given", lang)))
              for x in frame[label_col]]
    n = frame["n"].astype(int)
    fig = go.Figure(go.Bar(x=labels, y=n, text=n, textposition="outside", marker_color=colour))
    fig.update_yaxes(range=[0, max(int(n.max() or 0), 1) * 1.2])
    return style(fig, projector=projector, height=_fit(projector), title=_t(title_key, lang),
                 y_title=_t("structure.axis.people", lang), legend=False)


def sections(by_section: pd.DataFrame, lang: str, projector: bool = False) -> go.Figure:
    """Per section: mean age (bars) and share with 大学本科+ (markers, right axis)."""
    names = [_v(s, lang) for s in by_section["section"]]
    colours = [palette.section_colour(s) for s in by_section["section"]]
    fig = go.Figure()
    fig.add_bar(x=names, y=by_section["mean_age"].round(figures.get("mean_age").decimals), marker_color=colours,
                name=figures.label("mean_age", lang), text=by_section["mean_age"].round(figures.get("mean_age").decimals),
                textposition="outside", customdata=by_section["headcount"],
                hovertemplate="%{x}: %{y} · n=%{customdata}<extra></extra>")
    fig.add_scatter(x=names, y=by_section["bachelor_plus_share"] * 100, yaxis="y2", mode="markers",
                    marker={"size": 14, "symbol": "diamond", "color": "#111"},
                    name=figures.label("bachelor_plus_share", lang),
                    hovertemplate="%{x}: %{y:" + figures.d3("bachelor_plus_share") + "}%<extra></extra>")
    fig.update_layout(yaxis2={"overlaying": "y", "side": "right", "range": [0, 105], "ticksuffix": "%",
                              "showgrid": False})
    fig.update_yaxes(range=[0, max(float(by_section["mean_age"].max() or 0), 1) * 1.2], selector={"anchor": "x"})
    return _legend_right(style(fig, projector=projector, height=_fit(projector), title=_t("structure.chart.sections", lang),
                               y_title=figures.label("mean_age", lang)))


def trend(trend_df: pd.DataFrame, metric: str, lang: str, projector: bool = False,
          gap: float | None = None) -> go.Figure:
    """One structure figure year by year; with its target as a dashed line
    and the latest year's gap to it annotated."""
    share = metric != "mean_age"
    y = trend_df[metric] * (100 if share else 1)
    fig = go.Figure(go.Scatter(x=trend_df["year"], y=y, mode="lines+markers+text", name=figures.label(metric, lang),
                               line={"width": 3, "color": "#0072B2"}, marker={"size": 9},
                               text=[("" if v != v else figures.value(metric, v / 100 if share else v, lang)) for v in y],
                               textposition="top center"))
    target_col = f"target_{metric}"
    if target_col in trend_df.columns and trend_df[target_col].notna().any():
        target = float(trend_df[target_col].dropna().iloc[0]) * 100
        fig.add_hline(y=target, line={"dash": "dash", "color": TARGET, "width": 2},
                      annotation_text=_t("structure.target", lang, value=figures.value(metric, target / 100, lang)),
                      annotation_position="bottom left", annotation_font_color=TARGET)
        if gap is not None:
            last = trend_df.dropna(subset=[metric]).tail(1)
            fig.add_annotation(x=last["year"].iloc[0], y=target, ax=0, ay=-40 if gap < 0 else 40,
                               text=_t("structure.gap", lang, value=("+" if gap > 0 else "") + figures.value("target_gap", gap * 100, lang)),
                               font={"color": TARGET}, showarrow=True, arrowcolor=TARGET)
    hi = float(np.nanmax(y.to_numpy(dtype=float))) if len(y) and np.isfinite(y.to_numpy(dtype=float)).any() else 1
    if share:
        fig.update_yaxes(range=[0, 105], ticksuffix="%")
    else:
        lo = float(np.nanmin(y.to_numpy(dtype=float))) if np.isfinite(y.to_numpy(dtype=float)).any() else 0
        fig.update_yaxes(range=[lo - 3, hi + 3])
    fig.update_xaxes(dtick=1, tickformat="d")
    return style(fig, projector=projector, height=_fit(projector), title=figures.label(metric, lang), legend=False)


def funnel(funnel_df: pd.DataFrame, lang: str, projector: bool = False) -> go.Figure:
    """The rank ladder as a funnel: highest rank on top."""
    f = funnel_df.iloc[::-1]
    fig = go.Figure(go.Funnel(y=[_v(r, lang) for r in f["rank"]], x=f["headcount"].astype(int),
                              textinfo="value", marker={"color": "#0072B2"},
                              connector={"line": {"color": "#BBBBBB"}}))
    return style(fig, projector=projector, height=_fit(projector), title=_t("structure.chart.funnel", lang), legend=False)


def sankey(flows: pd.DataFrame, lang: str, projector: bool = False, promotions: bool = False) -> go.Figure:
    """Flows over a span. ``promotions``: rank → rank; else people: hires and
    transfers in → section, section → section (rotations), section →
    transfer out / retirement. Left and right nodes are distinct (no cycles)."""
    f = flows[(flows["flow"] == "promotion") == promotions].copy()
    outside = {"hire": _t("structure.flow.hire", lang), "transfer_in": _t("structure.flow.transfer_in", lang),
               "transfer_out": _t("structure.flow.transfer_out", lang), "retire": _t("structure.flow.retire", lang)}
    src = np.where(f["source"].isna(), f["flow"].map(outside), f["source"].map(lambda v: _v(v, lang), na_action="ignore"))
    tgt = np.where(f["target"].isna() | f["flow"].isin(["transfer_out", "retire"]),
                   f["flow"].map(outside), f["target"].map(lambda v: _v(v, lang), na_action="ignore"))
    left = list(dict.fromkeys(src))
    right = list(dict.fromkeys(tgt))
    labels = left + right
    raw = dict(zip(list(src) + list(tgt), list(f["source"]) + list(f["target"])))
    colours = [palette.section_colour(raw[l]) if not promotions and raw.get(l) is not None
               and raw.get(l) == raw.get(l) and l not in outside.values() else "#9AA0A6" for l in labels]
    fig = go.Figure(go.Sankey(
        arrangement="snap",
        node={"label": labels, "pad": 14, "thickness": 18,
              "color": colours},
        link={"source": [left.index(s) for s in src], "target": [len(left) + right.index(t) for t in tgt],
              "value": f["value"].astype(int).tolist(),
              "color": [FLOW_COLOURS.get(k, "#BBBBBB") + "66" for k in f["flow"]],
              "customdata": [_t(f"structure.flow.{k}", lang) for k in f["flow"]],
              "hovertemplate": "%{source.label} → %{target.label}: %{value} (%{customdata})<extra></extra>"},
    ))
    title = "structure.chart.sankey_promotions" if promotions else "structure.chart.sankey_people"
    return style(fig, projector=projector, title=_t(title, lang), height=560)


def time_in_rank(rows: pd.DataFrame, lang: str, projector: bool = False, points: bool = True) -> go.Figure:
    """Years in rank before promotion, per step: box with every promotion as
    a point (hover: name, date), the median marked by the box. Without
    ``points`` (a role that may not see people) each box is drawn from its
    quartiles alone: no promotion's name, date or value reaches the browser."""
    fig = go.Figure()
    known = rows[rows["years"].notna()]
    for step, part in known.groupby("step", sort=False):
        if not points:
            v = part["years"].astype(float)
            q1, median, q3 = np.quantile(v, [0.25, 0.5, 0.75])
            fig.add_box(x=[step], orientation="v", q1=[q1], median=[median], q3=[q3], lowerfence=[float(v.min())],
                        upperfence=[float(v.max())], name=step, boxpoints=False, hoverinfo="skip",
                        marker={"color": "#0072B2"}, line={"color": "#0072B2"})
            continue
        fig.add_box(y=part["years"], name=step, boxpoints="all", jitter=0.4, pointpos=0,
                    marker={"size": 8, "color": "#0072B2"}, line={"color": "#0072B2"},
                    customdata=np.stack([part["name"].astype(str), part["date"].astype(str).str[:10]], axis=-1),
                    hovertemplate="%{customdata[0]} · %{customdata[1]}: %{y:" + figures.d3("median_years") + "}<extra></extra>")
    return style(fig, projector=projector, height=_fit(projector), title=_t("structure.chart.time_in_rank", lang),
                 y_title=_t("structure.axis.years", lang), legend=False)


OTHER_SECTIONS = "\x00other"  # the row / column summing the sections not shown (cadre_views)


def exchange(pivot: pd.DataFrame, lang: str, projector: bool = False) -> go.Figure:
    """Section-to-section exchange: rows from, columns to; a row and column
    ``OTHER_SECTIONS`` (if any) is labelled "other (n sections)" from
    ``pivot.attrs["others"]``."""
    others = int(pivot.attrs.get("others", 0))
    labels = [_t("structure.exchange.other", lang, n=f"{others:,}") if s == OTHER_SECTIONS else _v(s, lang)
              for s in pivot.index]
    z = pivot.to_numpy(dtype=int)
    text = np.where(z > 0, z.astype(str), "")
    fig = go.Figure(go.Heatmap(z=z, x=labels, y=labels, text=text, texttemplate="%{text}",
                               colorscale="Oranges", showscale=False, xgap=2, ygap=2,
                               hovertemplate="%{y} → %{x}: %{z}<extra></extra>"))
    fig.update_yaxes(autorange="reversed")
    return style(fig, projector=projector, height=_fit(projector), title=_t("structure.chart.exchange", lang),
                 x_title=_t("structure.axis.to_section", lang), y_title=_t("structure.axis.from_section", lang))
