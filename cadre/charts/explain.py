"""Why a score moved: the change of composite as a waterfall, from the
earlier composite through each part's contribution to the later one.
Pure: DataFrames in, figures out."""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from cadre import figures, i18n
from cadre.charts import palette, style

UP, DOWN = "#1a7f37", "#C0392B"
UNKNOWN_MARK = " *"


def waterfall(parts: pd.DataFrame, start: tuple[str, float], end: tuple[str, float], lang: str,
              projector: bool = False, title: str | None = None) -> go.Figure:
    """``parts``: label (already in ``lang``), value, unknown (bool: a
    source unknown on one side, marked with an asterisk the caption
    explains); ``start`` / ``end``: (label, composite). The axis is cut to
    the path's own span, so contributions of a point or two stay visible."""
    labels = [start[0]] + [f"{lab}{UNKNOWN_MARK if unk else ''}"
                           for lab, unk in zip(parts["label"], parts["unknown"])] + [end[0]]
    values = parts["value"].to_numpy(dtype=float)
    fmt = figures.d3("contribution", signed=True)
    texts = [figures.value("composite", start[1], lang)] + \
        [f"{'+' if v > 0 else ''}{figures.value('contribution', v, lang)}" for v in values] + \
        [figures.value("composite", end[1], lang)]
    fig = go.Figure(go.Waterfall(
        x=labels, y=[start[1], *values, end[1]],
        measure=["absolute"] + ["relative"] * len(values) + ["total"],
        text=texts, textposition="outside", cliponaxis=False,
        increasing={"marker": {"color": UP}}, decreasing={"marker": {"color": DOWN}},
        totals={"marker": {"color": palette.BASELINE}},
        connector={"line": {"color": "#999", "width": 1}},
        hovertemplate=f"%{{x}}: %{{y:{fmt}}}<extra></extra>",
    ))
    path = np.concatenate([[start[1]], start[1] + np.cumsum(values), [end[1]]])
    lo, hi = float(path.min()), float(path.max())
    pad = max((hi - lo) * 0.25, 1.0)
    fig.update_yaxes(range=[lo - pad, hi + pad], title_text=i18n.t("explain.chart.axis", lang))
    style(fig, projector=projector, title=title, height=560 if projector else 460, legend=False)
    return fig
