"""Charts as pictures (PNG) through kaleido and the system Chromium."""
from __future__ import annotations

import os
import shutil

import plotly.graph_objects as go

SYSTEM_CHROMIUM = "/usr/bin/chromium"


def use_system_chromium() -> None:
    # kaleido (via choreographer) looks for a browser; point it at Debian's.
    if "BROWSER_PATH" not in os.environ:
        path = shutil.which("chromium") or (SYSTEM_CHROMIUM if os.path.exists(SYSTEM_CHROMIUM) else None)
        if path:
            os.environ["BROWSER_PATH"] = path


def to_png(fig: go.Figure, width: int = 1600, height: int = 900, scale: float = 2.0) -> bytes:
    """The figure as a sharp PNG (default 3200×1800 pixels)."""
    use_system_chromium()
    return fig.to_image(format="png", width=width, height=height, scale=scale)
