"""A review-pack slide and its geometry: what the pack (``cadre.export.pack``)
lays out and what other parts (the appraisal meeting's record) contribute."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

# Slide geometry: 16:9, inches.
SLIDE_W, SLIDE_H = 13.333, 7.5
MARGIN = 0.5
TITLE_TOP, TITLE_H = 0.3, 0.75
FINDING_TOP, FINDING_H = 1.05, 0.6
BODY_TOP = 1.75
FOOTER_TOP = 7.05
BODY_H = FOOTER_TOP - BODY_TOP - 0.1
BODY_W = SLIDE_W - 2 * MARGIN
METRICS_H = 1.2
TABLE_ROWS = 10  # rows of a list shown on one slide; the rest are counted


@dataclass
class Slide:
    """One slide: what the PPTX and the PDF both show."""
    key: str
    title: str
    finding: str = ""
    fig: go.Figure | None = None
    table: pd.DataFrame | None = None      # display-ready: masked, headers translated
    more_rows: int = 0                     # rows of the list not shown
    metrics: list = field(default_factory=list)   # [(label, value)]
    lines: list = field(default_factory=list)     # title slide lines
    image: bytes | None = None             # the chart as PNG, after render()

    @property
    def body_h(self) -> float:
        return BODY_H - (METRICS_H if self.metrics else 0.0)
