"""Plotly figures from DataFrames (pure: no Streamlit, no store).

Every figure goes through ``style`` so that text sizes, fonts and colours are
the same on every page, in projector mode and in the review pack.

The product's look is two plotly templates registered once, at import:
``cadre`` (screen) and ``cadre_projector`` (text >= 18 px, black ink), both
plotly_white with the product's fonts, legend and margins. ``style`` uses
them by name (assigning a registered template skips plotly's copy and
validation of it, which cost about 15 ms a figure) and sets the figure's own
title, margins, fonts, legend and axis text.
"""
from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

FONT_FAMILY = '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif'

# Text sizes (px) for the normal screen and for the projector (>= 18 px).
SIZES = {
    False: {"base": 15, "title": 20, "tick": 14, "legend": 14},
    True: {"base": 20, "title": 26, "tick": 18, "legend": 18},
}
TEMPLATES = {False: "cadre", True: "cadre_projector"}


def _template(projector: bool) -> go.layout.Template:
    """plotly_white with the product's fonts, legend, margins and axis text."""
    s = SIZES[projector]
    ink = "#000" if projector else "#333"
    template = go.layout.Template(pio.templates["plotly_white"])
    template.layout.update(
        font={"family": FONT_FAMILY, "size": s["base"], "color": "#111" if projector else "#222"},
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        # Legend on its own line between the title and the plot, never over the title.
        legend={"font": {"size": s["legend"]}, "orientation": "h", "yanchor": "bottom", "y": 1.0,
                "x": 0, "xanchor": "left", "title": {"text": ""}},
        hoverlabel={"font": {"family": FONT_FAMILY, "size": s["base"]}},
    )
    axis = {"tickfont": {"size": s["tick"], "color": ink}, "title": {"font": {"size": s["base"], "color": ink}},
            "automargin": True}
    template.layout.xaxis.update(axis)
    template.layout.yaxis.update(axis)
    return template


for _projector, _name in TEMPLATES.items():
    pio.templates[_name] = _template(_projector)


def _use_template(fig: go.Figure, name: str) -> None:
    """``fig.layout.template = <registered template name>`` without plotly
    validating and copying the (already valid) template again: the shortcut
    plotly itself takes for its default template."""
    layout = fig.layout
    if getattr(fig, "_allow_disable_validation", False):
        layout._validate = False
    try:
        layout.template = pio.templates[name]
    finally:
        layout._validate = getattr(fig, "_validate", True)


def style(fig: go.Figure, *, projector: bool = False, title: str | None = None,
          x_title: str | None = None, y_title: str | None = None, height: int | None = None,
          legend: bool | None = None) -> go.Figure:
    """Apply the product's layout to ``fig`` in place and return it.

    The template gives the look off screen (PNG downloads, the review pack);
    fonts, legend and axis text are also set on the figure itself, because
    st.plotly_chart's Streamlit theme replaces the template in the browser."""
    s = SIZES[bool(projector)]
    layout = {
        "font": {"family": FONT_FAMILY, "size": s["base"], "color": "#111" if projector else "#222"},
        "title": {"text": title, "font": {"size": s["title"]}, "x": 0, "xanchor": "left",
                  "y": 1.0, "yref": "container", "yanchor": "top", "pad": {"t": 8}} if title else None,
        "margin": {"l": 10, "r": 10, "t": (s["title"] * 2 + 40) if title else 40, "b": 10},
        # Legend on its own line between the title and the plot, never over the title.
        "legend": {"font": {"size": s["legend"]}, "orientation": "h", "yanchor": "bottom", "y": 1.0,
                   "x": 0, "xanchor": "left", "title": {"text": ""}},
        "hoverlabel": {"font": {"family": FONT_FAMILY, "size": s["base"]}},
    }
    if height:
        layout["height"] = height
    if legend is not None:
        layout["showlegend"] = legend
    fig.update_layout(**layout)
    ink = "#000" if projector else "#333"
    axis = {"tickfont": {"size": s["tick"], "color": ink}, "title_font": {"size": s["base"], "color": ink},
            "automargin": True}
    fig.update_xaxes(**axis, **({"title_text": x_title} if x_title is not None else {}))
    fig.update_yaxes(**axis, **({"title_text": y_title} if y_title is not None else {}))
    _use_template(fig, TEMPLATES[bool(projector)])  # last: updates of a templated layout are slower
    return fig
