"""The pack's change slide: each section's mean in the previous period and in
this one, side by side, so the chart shows exactly what the finding says."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from cadre import figures, i18n
from cadre.charts import style


def previous_current(changes: pd.DataFrame, previous_label: str, current_label: str, lang: str,
                     projector: bool = True) -> go.Figure:
    """``changes``: section, previous, current, change (one row per section)."""
    rows = changes.sort_values(["change", "section"], ascending=[True, True])
    names = [i18n.value_label(s, lang) for s in rows["section"]]
    fig = go.Figure()
    fig.add_bar(name=previous_label, y=names, x=rows["previous"], orientation="h",
                marker_color="#B8C4D0", text=[figures.words("mean", v, lang) for v in rows["previous"]], textposition="outside")
    fig.add_bar(name=current_label, y=names, x=rows["current"], orientation="h",
                marker_color="#1F4E79", text=[figures.words("mean", v, lang) for v in rows["current"]], textposition="outside")
    low = float(min(rows["previous"].min(), rows["current"].min()))
    high = float(max(rows["previous"].max(), rows["current"].max()))
    fig.update_layout(barmode="group", bargap=0.25)
    style(fig, projector=projector, x_title=figures.label("mean", lang),
          height=max(420, 60 * len(rows) + 160))
    fig.update_xaxes(range=[max(0.0, low - 5), min(100.0, high + 3)])
    return fig
