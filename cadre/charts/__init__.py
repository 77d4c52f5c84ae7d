"""Plotly figures from DataFrames (pure: no Streamlit, no store).

Every figure goes through ``style`` so that text sizes, fonts and colours are
the same on every page, in projector mode and in the review pack.
"""
from __future__ import annotations

import plotly.graph_objects as go

FONT_FAMILY = '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif'

# Text sizes (px) for the normal screen and for the projector (>= 18 px).
SIZES = {
    False: {"base": 15, "title": 20, "tick": 14, "legend": 14},
    True: {"base": 20, "title": 26, "tick": 18, "legend": 18},
}


def style(fig: go.Figure, *, projector: bool = False, title: str | None = None,
          x_title: str | None = None, y_title: str | None = None, height: int | None = None,
          legend: bool | None = None) -> go.Figure:
    """Apply the product's layout to ``fig`` in place and return it."""
    s = SIZES[bool(projector)]
    fig.update_layout(
        template="plotly_white",
        font={"family": FONT_FAMILY, "size": s["base"], "color": "#111" if projector else "#222"},
        title={"text": title, "font": {"size": s["title"]}, "x": 0, "xanchor": "left",
               "y": 1.0, "yref": "container", "yanchor": "top", "pad": {"t": 8}} if title else None,
        margin={"l": 10, "r": 10, "t": (s["title"] * 2 + 40) if title else 40, "b": 10},
        # Legend on its own line between the title and the plot, never over the title.
        legend={"font": {"size": s["legend"]}, "orientation": "h", "yanchor": "bottom", "y": 1.0,
                "x": 0, "xanchor": "left", "title": {"text": ""}},
        hoverlabel={"font": {"family": FONT_FAMILY, "size": s["base"]}},
    )
    if height:
        fig.update_layout(height=height)
    if legend is not None:
        fig.update_layout(showlegend=legend)
    ink = "#000" if projector else "#333"
    fig.update_xaxes(tickfont={"size": s["tick"], "color": ink}, title_font={"size": s["base"], "color": ink},
                     automargin=True)
    fig.update_yaxes(tickfont={"size": s["tick"], "color": ink}, title_font={"size": s["base"], "color": ink},
                     automargin=True)
    if x_title is not None:
        fig.update_xaxes(title_text=x_title)
    if y_title is not None:
        fig.update_yaxes(title_text=y_title)
    return fig
