"""The overview's main figure: grade counts, computed beside official."""
from __future__ import annotations

import plotly.graph_objects as go

from cadre import i18n
from cadre.charts import palette, style


# On the projector the chart and its grade names fit a 1280×720 screen
# under the page's title and its metrics.
PROJECTOR_HEIGHT = 420


def grade_counts(computed: dict, official: dict | None, lang: str, projector: bool = False) -> go.Figure:
    grades = list(computed)
    labels = [i18n.value_label(g, lang) for g in grades]
    fig = go.Figure()
    fig.add_bar(name=i18n.t("overview.computed", lang), x=labels, y=[computed[g] for g in grades],
                marker_color=[palette.GRADE_COLOURS.get(g, "#555") for g in grades],
                text=[computed[g] for g in grades], textposition="outside")
    if official:
        fig.add_bar(name=i18n.t("overview.official", lang), x=labels, y=[official.get(g, 0) for g in grades],
                    marker_color=[palette.GRADE_COLOURS.get(g, "#555") for g in grades], marker_opacity=0.45,
                    marker_pattern_shape="/", text=[official.get(g, 0) for g in grades], textposition="outside")
    fig.update_layout(barmode="group", bargap=0.3)
    style(fig, projector=projector, title=i18n.t("overview.grades_title", lang),
          x_title=i18n.t("overview.grade_axis", lang), y_title=i18n.t("overview.people_axis", lang),
          height=PROJECTOR_HEIGHT if projector else 420)
    fig.update_yaxes(rangemode="tozero")
    return fig
