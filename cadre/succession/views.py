"""What the 后备与推荐 page shows, as display frames and a chart (no
Streamlit): the board's posts and a post's successors in the reader's
language, names masked when asked, figures through the registry; the
recommendations on record; the talent matrix as a plotly figure whose
points carry their cell."""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from cadre import access, figures, i18n, masking
from cadre.charts import style
from cadre.succession import board as board_mod
from cadre.succession import review

PROJECTOR_MATRIX_HEIGHT = 540
CELL_NAMES, CELL_NAMES_PROJECTOR = 24, 15   # the rows of names a cell has room for


def _names(values, mask: bool) -> pd.Series:
    s = pd.Series(values, dtype=object)
    s = s.where(s.notna(), "")
    return masking.mask_series(s).astype(object) if mask else s


def _joined(lists: pd.Series, mask: bool, lang: str, empty: str) -> pd.Series:
    flat = pd.Series([n for names in lists for n in names], dtype=object)
    shown = _names(flat, mask).tolist()
    out, i = [], 0
    for names in lists:  # one entry per post (a few dozen)
        out.append(i18n.join(shown[i:i + len(names)], lang) or empty)
        i += len(names)
    return pd.Series(out, index=lists.index, dtype=object)


def rule_text(rule, lang: str) -> str:
    if rule is None or (isinstance(rule, float) and rule != rule):
        return ""
    cat = i18n.catalogue(lang)
    return cat.get(f"succession.rule.{rule}") or cat.get(f"pipeline.rule.{rule}") or str(rule)


def post_labels(posts: pd.DataFrame, settings: dict) -> pd.Series:
    return pd.Series([board_mod.post_label(s, p, settings) for s, p in zip(posts["section"], posts["post"])],
                     index=posts.index, dtype=object)


def posts_frame(b: board_mod.Board, settings: dict, lang: str, mask: bool) -> pd.DataFrame:
    """The board: post, holders, years to retirement, successors, ready now,
    gap year, led by the flag (⚠) of a post with no ready successor. The post's
    name says its kind (主任, 信息科科长, 信息科副科长): no column of kinds, so
    the board fits a 1280-px screen beside the menu."""
    p = b.posts
    t = lambda k: i18n.t(k, lang)  # noqa: E731
    return pd.DataFrame({
        # first and one sign wide: at the right edge the board ran past a
        # 1280-px screen and the flag was the column cut off
        t("succession.col.flag"): np.where(p["no_ready_successor"], "⚠", ""),
        t("succession.col.post"): post_labels(p, settings).to_numpy(),
        t("succession.col.holders"): _joined(p["holders"], mask, lang, t("succession.vacant")).to_numpy(),
        "years_to_retirement": p["years_to_retirement"].to_numpy(),
        t("succession.col.successors"): p["successors"].to_numpy(),
        t("succession.col.ready_now"): p["ready_now"].to_numpy(),
        t("succession.col.gap_year"): p["gap_year"].map(lambda y: t("succession.no_gap") if y is None else str(y)).to_numpy(),
    })


def successors_frame(b: board_mod.Board, section: str, post: str, lang: str, mask: bool) -> pd.DataFrame:
    """A post's successors: person number, name, section, rank, readiness,
    source, the rule that still blocks and the day it clears."""
    s = b.successors[(b.successors["section"] == section) & (b.successors["post"] == post)]
    t = lambda k: i18n.t(k, lang)  # noqa: E731
    source = np.where(s["reserve"] & s["picked"], "both", np.where(s["picked"], "picked", "reserve"))
    return pd.DataFrame({
        "person_id": s["person_id"].to_numpy(),
        "name": _names(s["name"].to_numpy(), mask).to_numpy(),
        "section": s["person_section"].to_numpy(),
        "rank": s["person_rank"].to_numpy(),
        t("succession.col.readiness"): s["readiness"].map(lambda r: t(f"succession.readiness.{r}")).to_numpy(),
        t("succession.col.source"): [t(f"succession.source.{k}") for k in source],
        t("succession.col.blocking"): s["blocking_rule"].map(lambda r: rule_text(r, lang)).to_numpy(),
        t("succession.col.clears_on"): s["clears_on"].map(
            lambda d: "" if pd.isna(d) else i18n.format_date(pd.Timestamp(d).date(), lang)).to_numpy(),
    })


def records_frame(rows: pd.DataFrame, settings: dict, lang: str, mask: bool) -> pd.DataFrame:
    """The recommendations on record, newest first."""
    t = lambda k: i18n.t(k, lang)  # noqa: E731
    return pd.DataFrame({
        t("succession.col.id"): rows["id"].astype(int).astype(str).to_numpy(),
        t("succession.col.proposed_post"): [board_mod.post_label(s, p, settings)
                                            for s, p in zip(rows["section"], rows["post"])],
        "person_id": rows["person_id"].to_numpy(),
        "name": _names(rows["name"].to_numpy(), mask).to_numpy(),
        t("succession.col.reason"): rows["reason"].to_numpy(),
        t("succession.col.recorded"): pd.to_datetime(rows["recorded_at"]).dt.strftime("%Y-%m-%d %H:%M").to_numpy(),
        t("succession.col.recorded_by"): rows["recorded_by"].map(lambda n: access.user_label(n, lang)).to_numpy(),
        t("succession.col.status"): rows["status"].map(lambda s: t(f"succession.status.{s}")).to_numpy(),
    })


# --------------------------------------------------------------------------- matrix

def band_label(band: str, lang: str) -> str:
    return i18n.t(f"succession.matrix.band.{band}", lang)


def ready_label(ready: str, lang: str) -> str:
    return i18n.t(f"succession.matrix.ready.{ready}", lang)


def matrix_figure(people: pd.DataFrame, lang: str, projector: bool, mask: bool, names: bool) -> go.Figure:
    """The 3×3 grid: cells shaded by their count, each person a point placed
    in their cell (spread on a small grid inside it), labelled with the
    (masked) name when ``names``; a point's customdata is its cell."""
    grid = review.cells(people)
    bands, readies = list(review.BANDS), list(review.READY3)
    fig = go.Figure(go.Heatmap(
        z=grid.to_numpy(), x=list(range(3)), y=list(range(3)), colorscale=[[0, "#f4f6fb"], [1, "#b9c9ec"]],
        showscale=False, hoverinfo="skip", zmin=0))
    counts = [dict(x=j + 0.48, y=i - 0.46, text=str(int(grid.iat[i, j])), showarrow=False, xanchor="right",
                   yanchor="bottom", font={"size": 18 if projector else 14, "color": "#445"})
              for i in range(3) for j in range(3)]   # each cell's count in its bottom right corner
    p = people[people["band"].notna()].sort_values("composite_mean", ascending=False, kind="stable")
    # a cell names at most CELL_NAMES people (the best composites first); its count says how many it holds
    p = p[p.groupby(["band", "ready"]).cumcount() < (CELL_NAMES_PROJECTOR if projector else CELL_NAMES)]
    p = p.reset_index(drop=True)
    if names and len(p):
        x0 = p["band"].map({b: i for i, b in enumerate(bands)}).to_numpy(dtype=float)
        y0 = p["ready"].map({r: i for i, r in enumerate(readies)}).to_numpy(dtype=float)
        slot = p.groupby(["band", "ready"]).cumcount().to_numpy()
        per_row, dx, dy = (3, 0.3, 0.17) if projector else (4, 0.24, 0.16)   # projector: 18 px names
        x = x0 - 0.4 + (slot % per_row) * dx
        y = y0 + 0.32 - (slot // per_row) * dy
        label = _names(p["name"].to_numpy(), mask)
        fig.add_trace(go.Scatter(
            x=x, y=y, mode="markers+text", text=label, textposition="middle right",
            marker={"size": 9 if projector else 7, "color": "#2c4f9e"},
            textfont={"size": 18 if projector else 10},
            customdata=np.stack([p["band"].to_numpy(), p["ready"].to_numpy()], axis=1),
            hovertemplate="%{text}<extra></extra>", showlegend=False))
    fig.update_layout(annotations=counts, clickmode="event+select", dragmode=False)
    fig.update_xaxes(tickvals=list(range(3)), ticktext=[band_label(b, lang) for b in bands], range=[-0.5, 2.5],
                     showgrid=False, zeroline=False, fixedrange=True)
    fig.update_yaxes(tickvals=list(range(3)), ticktext=[ready_label(r, lang) for r in readies], range=[-0.5, 2.5],
                     showgrid=False, zeroline=False, fixedrange=True)
    return style(fig, projector=projector, x_title=i18n.t("succession.matrix.perf", lang),
                 y_title=i18n.t("succession.matrix.ready", lang),
                 height=PROJECTOR_MATRIX_HEIGHT if projector else 520, legend=False)


def cell_frame(people: pd.DataFrame, band: str, ready: str, lang: str, mask: bool) -> pd.DataFrame:
    """The people of one cell: number, name, section, rank, mean composite,
    percentile, readiness and the rule that blocks."""
    c = people[(people["band"] == band) & (people["ready"] == ready)].sort_values("composite_mean", ascending=False)
    t = lambda k: i18n.t(k, lang)  # noqa: E731
    return pd.DataFrame({
        "person_id": c["person_id"].to_numpy(), "name": _names(c["name"].to_numpy(), mask).to_numpy(),
        "section": c["section"].to_numpy(), "rank": c["rank"].to_numpy(),
        "composite": c["composite_mean"].to_numpy(), "perf_percentile": c["percentile"].to_numpy(),
        t("succession.col.readiness"): c["readiness"].map(lambda r: t(f"succession.readiness.{r}")).to_numpy(),
        t("succession.col.blocking"): c["blocking_rule"].map(lambda r: rule_text(r, lang)).to_numpy(),
    })


def cut_text(settings: dict, lang: str) -> str:
    low, high = review.cut_points(settings)
    return i18n.t("succession.matrix.cuts", lang, low=figures.value("perf_percentile", low, lang),
                  high=figures.value("perf_percentile", high, lang))


FOUND_MAX = 30   # the people a search offers at once: enough to pick from, few enough to send


def find_people(roster: dict[str, str], query: str, limit: int = FOUND_MAX) -> tuple[list[str], int]:
    """The numbers of the people whose shown name or number holds ``query``
    (case-insensitive, spaces around it ignored), in the roster's order, at
    most ``limit`` of them, and how many matched in all. An empty query finds
    no one: a city's roster is not a list to scroll."""
    query = query.strip().casefold()
    if not query or not roster:
        return [], 0
    ids = pd.Series(list(roster.keys()), dtype=object)
    shown = pd.Series(list(roster.values()), dtype=object).fillna("")
    hit = (ids.str.casefold().str.contains(query, regex=False)
           | shown.astype(str).str.casefold().str.contains(query, regex=False))
    found = ids[hit.to_numpy()]
    return found.iloc[:limit].tolist(), int(hit.sum())
