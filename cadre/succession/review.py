"""The talent review (人才盘点) and the comparison of candidates for a post.

- ``performance``: each person in office, the mean of their composites over
  the last three annual periods ending by the date, its percentile within
  the office, and the band (low | mid | high) by the settings'
  ``talent_cut_points`` (docs/contract.md, "Talent matrix");
- ``matrix``: the people of the office (or one section) on a 3×3 grid of
  performance band by readiness for their next step (now | soon: within
  three years | later), readiness as the succession board computes it;
- ``candidates`` / ``compare_table``: up to five people side by side, each
  row a figure of the registry (``cadre.figures``).

Vectorised: composites by ``cadre.scoring.composites``, ranks and
percentiles by pandas, careers by ``queries/succession_careers.sql``.
"""
from __future__ import annotations

import datetime as dt
import html

import numpy as np
import pandas as pd

from cadre import figures, i18n, masking, scoring, store, timeline
from cadre.export import pdf
from cadre.succession import board

YEARS = 3                     # the performance window: the last three annual periods
MAX_COMPARED = 5
BANDS = ("low", "mid", "high")
READY3 = ("now", "soon", "later")
_READY3 = {"now": "now", "within_1": "soon", "within_3": "soon", "later": "later", "unknown": "later"}


def cut_points(settings: dict) -> tuple[float, float]:
    """(low, high) percentiles; the setting is {"low", "high"} (a pair, as first stored, still reads)."""
    cut = settings.get("talent_cut_points") or {"low": 0.3, "high": 0.7}
    low, high = (cut["low"], cut["high"]) if isinstance(cut, dict) else tuple(cut)[:2]
    return float(low), float(high)


def composites(con, settings: dict, date: dt.date) -> pd.DataFrame:
    """(person_id, period, composite, office_rank) of the last three annual periods by ``date``."""
    rows = store.frame(con, "recent_annual_rows", date=date, years=YEARS)
    if not len(rows):
        return pd.DataFrame(columns=["person_id", "period", "composite", "office_rank"])
    comp = scoring.composites(rows, settings)[["person_id", "period", "composite"]]
    comp["office_rank"] = comp.groupby("period")["composite"].rank(ascending=False, method="min")
    return comp


def performance(people: pd.Series, comp: pd.DataFrame, settings: dict) -> pd.DataFrame:
    """Per person of ``people`` (those in office): mean composite, its
    percentile within them, and the band (None without a composite)."""
    mean = comp.groupby("person_id")["composite"].mean()
    out = pd.DataFrame({"person_id": people.astype(str).to_numpy()})
    out["composite_mean"] = out["person_id"].map(mean)
    out["percentile"] = out["composite_mean"].rank(pct=True)
    low, high = cut_points(settings)
    band = np.where(out["percentile"] < low, "low", np.where(out["percentile"] >= high, "high", "mid"))
    out["band"] = pd.Series(band, dtype=object).where(out["percentile"].notna(), None)
    return out


def _elig(con, settings: dict, date: dt.date, state=None, elig=None):
    """The date's person state (an arrow table) and eligibility: those given, else computed."""
    rel = timeline.state_table(con, settings, date) if state is None else state
    return rel, (timeline.eligibility(con, settings, date, state=rel) if elig is None else elig)


def matrix(con, settings: dict, date: dt.date | None = None, section: str | None = None,
           state=None, elig: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per person in office (of ``section``, or the office): name,
    section, band, readiness (``ready``: now | soon | later), composite mean
    and percentile (against the whole office, whatever the scope).
    ``state``, ``elig``: that date's ``timeline.state_table`` and
    ``timeline.eligibility`` when the caller has them (read, never changed)."""
    s = settings
    d = date or timeline.reference_date(con)
    _state, elig = _elig(con, s, d, state, elig)
    perf = performance(elig["person_id"], composites(con, s, d), s)
    ready = board.readiness(elig[["person_id"]].assign(post_step=np.nan), elig, d, s)
    out = elig[["person_id", "name", "section", "rank"]].merge(perf, on="person_id", how="left")
    out = out.merge(ready[["person_id", "readiness", "blocking_rule", "clears_on"]], on="person_id", how="left")
    out["ready"] = out["readiness"].map(_READY3)
    if section:
        out = out[out["section"] == section]
    return out.reset_index(drop=True)


def cells(people: pd.DataFrame) -> pd.DataFrame:
    """The 3×3 counts: rows readiness (now, soon, later), columns band (low, mid, high)."""
    graded = people[people["band"].notna()]
    grid = pd.crosstab(graded["ready"], graded["band"]).reindex(index=list(READY3), columns=list(BANDS),
                                                                 fill_value=0)
    return grid.astype(int)


# --------------------------------------------------------------------------- comparison

def candidates(con, settings: dict, date: dt.date, person_ids: list[str],
               post_step: float | None = None, state=None, elig: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per person of ``person_ids`` (at most five, in that order):
    the state at ``date``, the last three grades and composites (newest
    first) with the office rank, rotations, sections served, commendations,
    and readiness for a post of ``post_step`` (None: the next step).
    ``state``, ``elig``: as for :func:`matrix`."""
    ids = [str(p) for p in person_ids][:MAX_COMPARED]
    rel, elig = _elig(con, settings, date, state, elig)
    state = store.frame_of(rel)
    st = state[state["person_id"].isin(ids)].drop_duplicates("person_id")
    careers = store.query(con, "succession_careers", person_ids=ids, date=date, years=YEARS)
    comp = composites(con, settings, date)
    comp = comp[comp["person_id"].isin(ids)].sort_values("period", ascending=False)
    trend = comp.groupby("person_id").agg(composites=("composite", list), office_ranks=("office_rank", list),
                                          periods=("period", list))
    ready = board.readiness(pd.DataFrame({"person_id": ids, "post_step": post_step if post_step else np.nan}),
                            elig, date, settings)
    out = pd.DataFrame({"person_id": ids})
    out = out.merge(st[["person_id", "name", "age", "education", "section", "position", "rank", "years_in_rank",
                        "years_in_post"]], on="person_id", how="left")
    out = out.merge(careers, on="person_id", how="left").merge(trend, left_on="person_id", right_index=True,
                                                                how="left")
    out = out.merge(ready[["person_id", "readiness", "blocking", "blocking_rule", "clears_on"]], on="person_id",
                    how="left")
    return out


ROWS = ("section", "position", "rank", "age", "education", "years_in_rank", "years_in_post", "last_grades",
        "composite_trend", "office_rank_trend", "rotations_done", "sections_served", "commendations",
        "readiness", "blocking_rule")


def row_label(row: str, lang: str) -> str:
    keys = {"education": "succession.fig.education", "last_grades": "succession.fig.last_grades",
            "composite_trend": "succession.fig.composite_trend", "office_rank_trend": "succession.fig.office_rank_trend",
            "readiness": "succession.fig.readiness", "blocking_rule": "succession.fig.blocking_rule"}
    return i18n.t(keys[row], lang) if row in keys else figures.label(row, lang)


def _seq(values, key: str, lang: str) -> str:
    if not isinstance(values, (list, tuple, np.ndarray)) or not len(values):
        return "—"
    return " / ".join(figures.value(key, v, lang) for v in values)


def _grades(items, lang: str) -> str:
    if not isinstance(items, (list, tuple, np.ndarray)) or not len(items):
        return "—"
    return " / ".join(f"{g['period']} {i18n.value_label(g['grade'], lang)}" for g in items)


def _rule(row, lang: str) -> str:
    rule = row.blocking_rule
    if rule is None or (isinstance(rule, float) and rule != rule):
        return "—"
    cat = i18n.catalogue(lang)
    text = cat.get(f"succession.rule.{rule}") or cat.get(f"pipeline.rule.{rule}") or str(rule)
    if row.clears_on is not None and not pd.isna(row.clears_on):
        text += " → " + i18n.format_date(pd.Timestamp(row.clears_on).date(), lang)
    return text


def compare_table(cand: pd.DataFrame, lang: str = "zh", mask: bool = False,
                  rows: tuple = ROWS) -> tuple[pd.DataFrame, list[bool]]:
    """The comparison as text: a column per candidate (headed by the name,
    masked when asked), a row per item of ``rows`` (of ROWS, in ROWS' order);
    and, per row, whether the candidates differ there (highlighted)."""
    names = cand["name"].astype(object).where(cand["name"].notna(), cand["person_id"])
    heads = (masking.mask_series(names) if mask else names).tolist()
    heads = [f"{h}（{i + 1}）" if heads.count(h) > 1 else h for i, h in enumerate(heads)]
    cols = {}
    for head, row in zip(heads, cand.itertuples(index=False)):  # at most five candidates
        cols[head] = [
            figures.value("section", row.section, lang), figures.value("position", row.position, lang),
            figures.value("rank", row.rank, lang), figures.value("age", row.age, lang),
            i18n.value_label(row.education, lang) if isinstance(row.education, str) else "—",
            figures.value("years_in_rank", row.years_in_rank, lang),
            figures.value("years_in_post", row.years_in_post, lang),
            _grades(row.grades, lang), _seq(row.composites, "composite", lang),
            _seq(row.office_ranks, "office_rank", lang),
            figures.value("rotations_done", row.rotations_done, lang),
            figures.value("sections_served", row.sections_served, lang),
            figures.value("commendations", row.commendations, lang),
            i18n.t(f"succession.readiness.{row.readiness}", lang) if isinstance(row.readiness, str) else "—",
            _rule(row, lang),
        ]
    table = pd.DataFrame(cols, index=list(ROWS)).loc[[r for r in ROWS if r in rows]]
    table.index = [row_label(r, lang) for r in table.index]
    table.index.name = i18n.t("succession.page.compare.item", lang)
    differs = [len(set(v)) > 1 for v in table.itertuples(index=False, name=None)]
    return table.reset_index(), differs


COMPARE_CSS = f"""
@page {{ size: A4 landscape; margin: 12mm 14mm; }}
html, body {{ margin: 0; padding: 0; font-family: {pdf.PRINT_FONT_STACK}; color: #000; }}
h1 {{ font-size: 16pt; margin: 0 0 8pt 0; }}
table {{ border-collapse: collapse; width: 100%; font-size: 10pt; table-layout: fixed; }}
th, td {{ border: 1px solid #444; padding: 3pt 5pt; text-align: left; vertical-align: top; word-break: break-all; }}
th {{ background: #eee; }}
tr.differs td {{ background: #fff3c4; }}
p {{ font-size: 9pt; margin: 6pt 0 0 0; }}
"""


def compare_html(title: str, table: pd.DataFrame, differs: list[bool], lang: str = "zh") -> str:
    e = html.escape
    head = "".join(f"<th>{e(str(c))}</th>" for c in table.columns)
    body = "".join(f'<tr class="{"differs" if d else ""}">' + "".join(f"<td>{e(str(v))}</td>" for v in row) + "</tr>"
                   for row, d in zip(table.itertuples(index=False, name=None), differs))
    html_lang = "zh-CN" if lang == "zh" else "en"
    return (f'<!doctype html><html lang="{html_lang}"><head><meta charset="utf-8"><style>{COMPARE_CSS}</style>'
            f"</head><body><h1>{e(title)}</h1><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
            f"<p>{e(i18n.t('succession.page.compare.differs', lang))}</p></body></html>")


def compare_pdf(title: str, table: pd.DataFrame, differs: list[bool], lang: str = "zh") -> bytes:
    """The comparison as one landscape A4 page (through the one PDF printer)."""
    return pdf.pdf_bytes(compare_html(title, table, differs, lang), name="compare")
