"""The figures registry: every figure the pages, the review pack, the XLSX
downloads and the command line show, defined once.

A figure has a key (the name the services give it: a ``report`` key, a
query column), the catalogue key of its label (and of its table header,
when a table's column needs a different one), its unit, its display format
(decimals, shown as a percentage, decimals in a sentence) and where it comes
from (the service function or the SQL column). Its definition, one line
quoting the data contract, is the catalogue entry ``figure.<key>.def``
(``cadre/locales/{zh,en}/figures.json``): pages show it on hover, so a
leader can ask "what is this number" in a meeting.

Everything that shows a figure formats it here:

- ``metric(key, value, lang)`` -> (label, text, definition) for a metric row;
- ``value(key, x, lang)`` for a figure inside a line of text (CLI, captions);
- ``words(key, value, lang)`` for a figure inside a sentence (the pack's findings);
- ``label(key, lang)`` / ``header(column, lang)`` for labels and table headers;
- ``table(frame)`` rounds (and scales to percent) the figure columns of a
  table, so the page, its XLSX download and the pack show the same digits.

Changing ``decimals`` here changes all of them together.
"""
from __future__ import annotations

import math
from contextlib import contextmanager
from dataclasses import dataclass, replace

import pandas as pd

from cadre import i18n


@dataclass(frozen=True)
class Figure:
    key: str
    label: str                    # catalogue key of the label
    unit: str                     # people, points, years, share, yuan, count, index, rank, text
    decimals: int = 0
    percent: bool = False         # a 0..1 share shown as a percentage
    source: str = ""              # the function or SQL column it comes from
    header: str | None = None     # catalogue key of a table header, when not ``label``
    in_words: int | None = None   # decimals inside a sentence (default: ``decimals``)
    trim: bool = False            # decimals are at most: trailing zeros dropped (5 and 2.5 years)

    @property
    def definition(self) -> str:
        """The catalogue key of the one-line definition."""
        return f"figure.{self.key}.def"


_REPORT = "cadre.assessment.report.period_report"
_DIST = "cadre.assessment.distribution.distribution"
_SECT = "cadre.assessment.sections.section_comparison"
_HEAD = "cadre.timeline.structure_tables: headline (queries/structure_figures.sql)"
_MOVES = "cadre.timeline.movements_summary (queries/movements_summary.sql)"
_STRUCT = "cadre.timeline.structure (queries/structure_figures.sql)"
_ELIG = "cadre.timeline.eligibility (queries/pipeline_eligibility.sql)"
_LAB = "cadre.whatif.lab.Lab.evaluate"
_WHY = "cadre.explain.Explanation"

_ALL = [
    # ---- assessment: a period's composites
    Figure("assessed", "col.assessed", "people", source=f"{_REPORT}['assessed'], {_DIST}.stats['n']"),
    Figure("composite", "col.composite", "points", 2, source="cadre.scoring.scored: composite"),
    Figure("mean", "col.mean", "points", 2, in_words=1, source=f"{_REPORT}['mean'], {_DIST}.stats['mean']"),
    Figure("median", "col.median", "points", 2, in_words=1, source=f"{_REPORT}['median'], {_DIST}.stats"),
    Figure("std", "col.std", "points", 2, in_words=1, source=f"{_REPORT}['std'], {_DIST}.stats"),
    Figure("iqr", "col.iqr", "points", 2, source=f"{_DIST}.stats['iqr'], cadre.scoring.differentiation"),
    Figure("range", "col.range", "points", 2, source=f"{_DIST}.stats['range']"),
    Figure("min", "figure.min", "points", 2, in_words=1, source=f"{_DIST}.stats['min']"),
    Figure("max", "figure.max", "points", 2, in_words=1, source=f"{_DIST}.stats['max']"),
    Figure("mean_ci_low", "col.mean_ci_low", "points", 2, source=f"{_SECT}.stats['ci_low']"),
    Figure("mean_ci_high", "col.mean_ci_high", "points", 2, source=f"{_SECT}.stats['ci_high']"),
    Figure("top_grade", "overview.top_grade", "people", source=f"{_REPORT}['grades'] (first grade)"),
    Figure("grade_count", "figure.grade_count", "people", source=f"{_LAB}: grade counts"),
    Figure("previous", "pack.col.previous", "points", 2, source=f"{_DIST}.previous: section means"),
    Figure("current", "pack.col.current", "points", 2, source=f"{_DIST}.people: section means"),
    Figure("change", "pack.col.change", "points", 2, in_words=1, source="cadre.export.pack._section_changes"),
    Figure("quota", "figure.quota", "share", 0, True, source="settings: the grade kind's quota; the lab's scenario"),
    Figure("grade_floor", "figure.grade_floor", "points", 0, source="settings: the top grade's floor"),
    Figure("dimension_pct", "assessment.axis.pct", "pct", 1, source="cadre.scoring.scored: <dimension>_pct"),
    Figure("egalitarian_std", "figure.egalitarian_std", "points", 1, source="settings.egalitarian_std"),
    Figure("self_gap", "col.self_gap", "points", 2, source=f"{_SECT}.gaps"),
    Figure("peer_gap", "col.peer_gap", "points", 2, source=f"{_SECT}.gaps"),
    Figure("index", "col.index", "index", 2, source="cadre.scoring.turn_taking: index"),
    Figure("awards", "col.awards", "count", source="cadre.scoring.turn_taking: awards"),
    Figure("outside", "col.outside", "count", source="cadre.scoring.turn_taking: outside"),
    Figure("office_rank", "col.office_rank", "rank", source="cadre.scoring.scored: rank"),
    Figure("section_rank", "col.section_rank", "rank", source="cadre.scoring.scored: section_rank"),
    # ---- the appraisal meeting (评定会) and commendation
    Figure("quota_places", "appraisal.guide.quota", "people",
           source="cadre.scoring.quota_places (cadre.appraisal.board.quota_guide: limit)"),
    Figure("top_share", "figure.top_share", "share", 0, True, header="appraisal.col.top_share",
           source="cadre.appraisal.commendation.sections: top_share"),
    Figure("improvement", "appraisal.col.improvement", "points", 2,
           source="cadre.appraisal.commendation.sections: improvement"),
    Figure("commend_score", "figure.commend_score", "index", 3, header="appraisal.col.score",
           source="cadre.appraisal.commendation.sections: score"),
    Figure("section_share", "figure.section_share", "share", 0, True,
           source="settings.commend_individuals.section_share"),
    # ---- structure: the cadres in office at a date
    Figure("headcount", "structure.metric.headcount", "people", header="col.headcount",
           source=f"{_HEAD}: headcount, {_STRUCT}['headcount']"),
    Figure("mean_age", "structure.metric.mean_age", "years", 1, header="col.mean_age",
           source=f"{_HEAD}: mean_age, {_STRUCT}['mean_age']"),
    Figure("share_under_35", "structure.metric.share_under_35", "share", 0, True, header="col.share_under_35",
           source=f"{_HEAD}: share_under_35"),
    Figure("bachelor_plus_share", "structure.metric.bachelor_plus_share", "share", 0, True,
           header="col.bachelor_plus_share", source=f"{_HEAD}: bachelor_plus_share"),
    Figure("middle_count", "structure.metric.middle_count", "people", header="col.middle_count",
           source=f"{_HEAD}: middle_count, {_STRUCT}['middle_cadres']['count']"),
    Figure("middle_under_40_share", "structure.metric.middle_under_40_share", "share", 0, True,
           header="col.middle_under_40_share", source=f"{_HEAD}: middle_under_40_share"),
    Figure("target_gap", "figure.target_gap", "points", 0, source="cadre.cadre_views.target_gap (× 100)"),
    Figure("middle_mean_age", "figure.middle_mean_age", "years", 1, source=f"{_STRUCT}['middle_cadres']['mean_age']"),
    Figure("women", "col.women", "people", source="queries/structure_by_section.sql: women"),
    Figure("age", "col.age", "years", source="queries/timeline_state_at.sql: age"),
    Figure("head_age", "col.head_age", "years", source="queries/pipeline_succession.sql: head_age"),
    Figure("by_age_band", "cli.key.by_age_band", "people", source=f"{_STRUCT}['by_age_band']"),
    Figure("by_education", "cli.key.by_education", "people", source=f"{_STRUCT}['by_education']"),
    Figure("by_rank", "cli.key.by_rank", "people", source=f"{_STRUCT}['by_rank']"),
    Figure("by_gender", "cli.key.by_gender", "people", source=f"{_STRUCT}['by_gender']"),
    # ---- a person's state at a date
    Figure("section", "col.section", "text", source="queries/timeline_state_at.sql: section"),
    Figure("position", "col.position", "text", source="queries/timeline_state_at.sql: position"),
    Figure("rank", "col.rank", "text", source="queries/timeline_state_at.sql: rank"),
    Figure("years_in_rank", "col.years_in_rank", "years", 1, source="queries/timeline_state_at.sql: years_in_rank"),
    Figure("years_in_post", "col.years_in_post", "years", 1, source="queries/timeline_state_at.sql: years_in_post"),
    Figure("service_years", "col.service_years", "years", 1, source=f"{_ELIG}: service_years"),
    Figure("years_to_retirement", "col.years_to_retirement", "years", 1,
           source="queries/pipeline_succession.sql: years_to_retirement"),
    Figure("median_years", "col.median_years", "years", 1, source="queries/pipeline_time_in_rank_summary.sql"),
    Figure("q1_years", "col.q1_years", "years", 1, source="queries/pipeline_time_in_rank_summary.sql"),
    Figure("q3_years", "col.q3_years", "years", 1, source="queries/pipeline_time_in_rank_summary.sql"),
    Figure("min_years", "col.min_years", "years", 1, source="queries/pipeline_time_in_rank_summary.sql"),
    Figure("max_years", "col.max_years", "years", 1, source="queries/pipeline_time_in_rank_summary.sql"),
    # ---- movements of a year
    Figure("promotions", "cli.key.promotions", "count", header="col.promotions", source=f"{_MOVES}: promotions"),
    Figure("promotions_by_to_rank", "cli.key.promotions_by_to_rank", "count", source=_MOVES),
    Figure("transferred_out_promoted", "cli.key.transferred_out_promoted", "count", source=_MOVES),
    Figure("rotations", "cli.key.rotations", "count", source=_MOVES),
    Figure("hires", "cli.key.hires", "count", source=_MOVES),
    Figure("exits", "cli.key.exits", "count", source=_MOVES),
    Figure("sections", "cli.key.sections", "count", source=_MOVES),
    Figure("sections_head_changed", "cli.key.sections_head_changed", "count", source=_MOVES),
    Figure("new_middle_cadres", "cli.key.new_middle_cadres", "people", source=_MOVES),
    # ---- promotion pipeline at a date
    Figure("rotation_years", "figure.rotation_years", "years", 1, source="settings: rotation_years", trim=True),
    Figure("rule_years", "figure.rule_years", "years", 1, source="settings: promotion_rules (years)", trim=True),
    Figure("rule_count", "figure.rule_count", "count", source="settings: promotion_rules.min_excellent"),
    Figure("in_office", "structure.metric.headcount", "people", source=f"{_ELIG}: rows"),
    Figure("eligible_count", "pipeline.metric.eligible", "people", source=f"{_ELIG}: eligible"),
    Figure("reserve_count", "pipeline.metric.reserve", "people", source=f"{_ELIG}: reserve"),
    Figure("rotation_due", "pipeline.metric.rotation_due", "people",
           source="cadre.timeline.rotation_due (queries/pipeline_rotation_due.sql)"),
    Figure("high_risk", "pipeline.metric.high_risk", "count",
           source="cadre.timeline.succession (queries/pipeline_succession.sql): risk"),
    # ---- what-if lab
    Figure("moved", "whatif.moved", "people", source=f"{_LAB}: rank != baseline_rank"),
    Figure("regraded", "whatif.regraded", "people", source=f"{_LAB}: grade != baseline_grade"),
    Figure("pool", "whatif.pool", "yuan", source="the lab's bonus pool"),
    Figure("baseline_total", "whatif.bonus_total.baseline", "yuan", source="cadre.whatif.results.bonus"),
    Figure("scenario_total", "whatif.bonus_total.scenario", "yuan", source="cadre.whatif.results.bonus"),
    Figure("weight", "figure.weight", "share", 1, True, source="cadre.whatif.scenario.Scenario: weights"),
    Figure("whatif_baseline_composite", "col.whatif_baseline_composite", "points", 2, source=_LAB),
    Figure("whatif_change", "col.whatif_change", "diff", 2, source=_LAB),
    Figure("whatif_amount", "col.whatif_amount", "yuan", 2, source="cadre.whatif.results.bonus"),
    Figure("whatif_baseline_amount", "col.whatif_baseline_amount", "yuan", 2, source="cadre.whatif.results.bonus"),
    Figure("whatif_baseline_mean", "col.whatif_baseline_mean", "points", 2, source="cadre.whatif.results.section_shifts"),
    Figure("whatif_scenario_mean", "col.whatif_scenario_mean", "points", 2, source="cadre.whatif.results.section_shifts"),
    Figure("whatif_shift", "col.whatif_shift", "points", 2, source="cadre.whatif.results.section_shifts"),
    Figure("whatif_rank_median", "col.whatif_rank_median", "rank", 1, source="cadre.whatif.results.stability"),
    Figure("stability_spread", "figure.stability_spread", "points", 0, source="cadre.whatif.results.STABILITY_SPREAD × 100"),
    Figure("whatif_top_share", "col.whatif_top_share", "share", 3, source="cadre.whatif.results.stability"),
    # ---- why a score moved
    Figure("composite_at", "explain.metric.composite_at", "points", 2, source=f"{_WHY}.value_from / value_to"),
    Figure("composite_change", "explain.metric.change", "diff", 2, source=f"{_WHY}.change"),
    Figure("contribution", "explain.col.contribution", "diff", 2, source=f"{_WHY}.cells['value']"),
    Figure("score_effect", "explain.col.score_effect", "diff", 2, source=f"{_WHY}.cells['score_effect']"),
    Figure("weight_effect", "explain.col.weight_effect", "diff", 2, source=f"{_WHY}.cells['weight_effect']"),
    Figure("score_from", "explain.col.score_from", "pct", 1, source=f"{_WHY}.cells['score_from']"),
    Figure("score_to", "explain.col.score_to", "pct", 1, source=f"{_WHY}.cells['score_to']"),
    Figure("weight_from", "explain.col.weight_from", "pct", 2, source=f"{_WHY}.cells['weight_from']"),
    Figure("weight_to", "explain.col.weight_to", "pct", 2, source=f"{_WHY}.cells['weight_to']"),
    # ---- succession (后备与推荐): the comparison of candidates and the talent matrix
    Figure("rotations_done", "succession.fig.rotations_done", "count",
           source="queries/succession_careers.sql: rotations_done"),
    Figure("sections_served", "succession.fig.sections_served", "count",
           source="queries/succession_careers.sql: sections_served"),
    Figure("commendations", "succession.fig.commendations", "count",
           source="queries/succession_careers.sql: commendations"),
    Figure("perf_percentile", "succession.matrix.perf", "share", 0, True,
           source="cadre.succession.review.performance: percentile"),
    # ---- uploads
    Figure("file_size", "figure.file_size", "megabytes", 1, source="cadre.ui.upload: the file's size / 2**20"),
]

FIGURES: dict[str, Figure] = {}
for _f in _ALL:
    if _f.key in FIGURES:
        raise ValueError(f"figure {_f.key!r} defined twice")
    FIGURES[_f.key] = _f


def get(key: str) -> Figure:
    return FIGURES[key]


@contextmanager
def changed(key: str, **fields):
    """The registry with one figure changed (``decimals=3``), for a test that
    checks every consumer follows it."""
    old = FIGURES[key]
    FIGURES[key] = replace(old, **fields)
    try:
        yield FIGURES[key]
    finally:
        FIGURES[key] = old


def _missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _format(fig: Figure, raw, lang: str, decimals: int) -> str:
    if _missing(raw):
        return "—"
    if fig.unit == "text":
        return i18n.value_label(raw, lang)
    if isinstance(raw, str):
        return raw
    x = float(raw)
    text = f"{x * 100 if fig.percent else x:,.{decimals}f}"
    if fig.trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text + "%" if fig.percent else text


def value(key: str, x, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """``x`` as the figure is shown: its decimals, percent sign, "—" when missing."""
    fig = FIGURES[key]
    return _format(fig, x, lang, fig.decimals)


def words(key: str, x, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """``x`` as it is written inside a sentence (a finding, a warning)."""
    fig = FIGURES[key]
    return _format(fig, x, lang, fig.decimals if fig.in_words is None else fig.in_words)


def texts(key: str, xs: pd.Series, lang: str = i18n.DEFAULT_LANGUAGE) -> pd.Series:
    """Each value of ``xs`` as ``value(key, x)`` shows it (string dtype; "—" when missing)."""
    fig = FIGURES[key]
    return xs.map(lambda x: _format(fig, x, lang, fig.decimals)).astype("string")


def of(key: str, part, whole, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """"part / whole" of a count figure (e.g. sections whose head changed, of all)."""
    return f"{value(key, part, lang)} / {value(key, whole, lang)}"


def d3(key: str, signed: bool = False) -> str:
    """The figure's number format for a plotly template (``%{y:.2f}``):
    its decimals; percent figures are drawn as 0..100 with a "%" after."""
    return f"{'+' if signed else ''}.{FIGURES[key].decimals}f"


def label(key: str, lang: str = i18n.DEFAULT_LANGUAGE, **params) -> str:
    return i18n.t(FIGURES[key].label, lang, **params)


def definition(key: str, lang: str = i18n.DEFAULT_LANGUAGE, **params) -> str:
    return i18n.t(FIGURES[key].definition, lang, **params)


def metric(key: str, x, lang: str = i18n.DEFAULT_LANGUAGE, shown: str | None = None,
           help_params: dict | None = None, **label_params) -> tuple[str, str, str]:
    """(label, value text, definition) of a figure for a metric row.
    ``shown`` replaces the value text (e.g. ``of(...)``)."""
    return (label(key, lang, **label_params), value(key, x, lang) if shown is None else shown,
            definition(key, lang, **(help_params or {})))


def header(column: str, lang: str = i18n.DEFAULT_LANGUAGE) -> str | None:
    """The table header of a figure column (None: not a figure)."""
    fig = FIGURES.get(column)
    if fig is None or fig.unit == "text":
        return None
    return i18n.t(fig.header or fig.label, lang)


def _numeric_figures(frame: pd.DataFrame):
    """(column, figure) of the numeric, non-boolean figure columns of ``frame``."""
    for col in frame.columns:
        fig = FIGURES.get(col)
        if fig is not None and fig.unit != "text" and pd.api.types.is_numeric_dtype(frame[col]) \
                and not pd.api.types.is_bool_dtype(frame[col]):
            yield col, fig


def table(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its numeric figure columns rounded to the figure's
    decimals (percent figures scaled to 0..100 first): what a page table,
    its XLSX download and a pack table show. Other columns are unchanged;
    counts stay integers."""
    out = frame.copy()
    for col, fig in _numeric_figures(out):
        if pd.api.types.is_float_dtype(out[col]):
            values = out[col] * 100 if fig.percent else out[col]
            out[col] = values.round(fig.decimals)
    return out


def column_formats(frame: pd.DataFrame, lang: str = i18n.DEFAULT_LANGUAGE) -> dict[str, str]:
    """{table header: printf format} of ``frame``'s fractional figure columns
    (``%.2f``): a table shows each such column with the figure's fixed
    decimals (a grid drops trailing zeros: 「83」 and 「3.6」 in a column of
    two-decimal numbers). Trimmed figures keep the grid's own format."""
    return {header(col, lang): f"%.{fig.decimals}f" for col, fig in _numeric_figures(frame)
            if fig.decimals > 0 and not fig.trim and pd.api.types.is_float_dtype(frame[col])}


def cell_texts(frame: pd.DataFrame, lang: str = i18n.DEFAULT_LANGUAGE) -> pd.DataFrame:
    """``frame`` with each numeric figure column as text in the figure's
    format (for slides, where a cell is text)."""
    out = frame.copy()
    for col, fig in _numeric_figures(out):
        out[col] = out[col].map(lambda x, f=fig: _format(f, x, lang, f.decimals)).astype(object)
    return out
