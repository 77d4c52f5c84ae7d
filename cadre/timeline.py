"""The person timeline: state at a date, a year's movements, the structure and
the promotion pipelines.

Service layer (no Streamlit). Every figure is computed in SQL by the named
queries ``timeline_*``, ``movements_*``, ``structure_*`` and ``pipeline_*``;
this module binds the settings as parameters and composes the queries: the
two base queries (``timeline_state_at``: one row per person at a date;
``timeline_movements``: every movement with the state before and after it)
read the store, and the derived queries read their results, registered on
the query's own cursor under a fixed name (``person_state``,
``movement_states``, ``state_series``, ``section_heads``, ``eligibility``,
``promotions``), as each query's header says.

Definitions follow the data contract (docs/data-contract.md, Definitions).
"""
from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from cadre import settings as settings_mod
from cadre import store

# Bands of years of service for the structure page: label -> lowest whole years.
SERVICE_BANDS = ["<5", "5-9", "10-19", "20-29", "30+"]
SERVICE_BAND_LOWS = [0, 5, 10, 20, 30]

# The promotion rules, in the order the eligibility query reports them.
RULES = ["min_years_in_rank", "min_years_service", "no_basic_in_years",
         "min_excellent", "education_floor", "rank_places"]


# ---------------------------------------------------------------- helpers

def _as_date(value) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, pd.Timestamp):
        return value.date()
    return pd.Timestamp(str(value)).date()





def _post_params(s: dict) -> dict:
    heads = list(s["head_posts"])
    deputies = list(s["deputy_posts"])
    return {
        "ladder": list(s["ladder"]),
        "heads": heads,
        "deputies": deputies,
        "middle_posts": heads + deputies,
        "leadership": s["leadership_section"],
    }


def band_lows(labels: list[str]) -> list[int]:
    """The lowest age of each band label: ``<=30`` -> 0, ``31-35`` -> 31, ``56+`` -> 56."""
    lows = []
    for label in labels:
        text = str(label).strip()
        if text.startswith("<="):
            lows.append(0)
            continue
        match = re.match(r"(\d+)", text)
        if not match:
            raise ValueError(f"age band {label!r} is not like '<=30', '31-35' or '56+'")
        lows.append(int(match.group(1)))
    return lows


def _bachelor_plus() -> list[str]:
    edus = settings_mod.EDUCATIONS
    return edus[: edus.index("大学本科") + 1]


def _py(value):
    """A numpy / pandas scalar as a plain Python value (JSON-safe); None
    for a missing one (None, NaN, NaT, NA)."""
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


# ---------------------------------------------------------------- base queries

def reference_date(con) -> dt.date | None:
    """The latest date in the data (movement dates and period ends), or None."""
    return _as_date(store.arrow(con, "timeline_reference_date").to_pylist()[0]["reference_date"])


def _resolve_date(con, date) -> dt.date | None:
    return _as_date(date) if date is not None else reference_date(con)


def _state_table(con, date: dt.date, s: dict, state=None):
    """The state of every roster person at ``date`` (arrow): ``state`` when
    the caller already has it (``state_table``), else computed."""
    return state if state is not None else _state_series(con, [date], s)


def state_table(con, settings: dict, date=None):
    """The state of every roster person at ``date`` (default: the reference
    date) as an arrow table: computed once, it can be passed as ``state=``
    to the structure and pipeline services of the same date and settings
    (the pages share it through their cache)."""
    return _state_table(con, _resolve_date(con, date), settings)


def _state_series(con, dates: list[dt.date], s: dict):
    """The state of every roster person at each of ``dates`` (arrow; one
    query: the walk over the movements is done once; ``as_of`` tells the
    dates apart)."""
    return store.arrow(con, "timeline_state_at", dates=[_as_date(d) for d in dates], **_post_params(s))


def _scoped(state, section: str | None = None, middle_only: bool = False):
    """Rows of a state table in ``section`` only (None: all), and only the
    middle-level cadres when ``middle_only`` (vectorised arrow filters)."""
    import pyarrow.compute as pc

    if section is not None:
        state = state.filter(pc.equal(state["section"], section))
    if middle_only:
        state = state.filter(state["is_middle"])
    return state


def state_at(con, settings: dict, date=None) -> pd.DataFrame:
    """One row per roster person: section, position, rank, in office, age,
    years of service / in rank / in post and post flags at ``date``
    (default: the reference date)."""
    s = settings
    d = _resolve_date(con, date)
    return store.frame_of(_state_table(con, d, s))


def _movements_table(con, start, end, s: dict):
    p = _post_params(s)
    return store.arrow(con, "timeline_movements", start=_as_date(start), end=_as_date(end),
                       ladder=p["ladder"], middle_posts=p["middle_posts"], leadership=p["leadership"])


def movement_states(con, settings: dict, start=None, end=None) -> pd.DataFrame:
    """Every movement in [start, end] (None: unbounded) with the person's state
    just before and after it and its meaning (promotion, new middle cadre)."""
    return store.frame_of(_movements_table(con, start, end, settings))


def _heads_table(con, state, s: dict):
    return store.arrow(con, "timeline_heads", {"person_state": state},
                       leadership=s["leadership_section"])


def section_heads(con, settings: dict, date=None,
                  state=None) -> pd.DataFrame:
    """The head of each compared section at ``date`` (head_id null: vacant)."""
    s = settings
    d = _resolve_date(con, date)
    return store.frame_of(_heads_table(con, _state_table(con, d, s, state), s))


# ---------------------------------------------------------------- movements

def _year_span(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _head_changes(con, year: int, s: dict) -> pd.DataFrame:
    end = store.frame_of(_heads_table(con, _state_table(con, dt.date(year, 12, 31), s), s))
    prev = store.frame_of(_heads_table(con, _state_table(con, dt.date(year - 1, 12, 31), s), s))
    out = end[["section", "head_id", "head_name"]].merge(
        prev[["section", "head_id", "head_name"]], on="section", how="left",
        suffixes=("", "_prev"))
    same = (out["head_id"] == out["head_id_prev"]).fillna(False).astype(bool)
    both_vacant = out["head_id"].isna() & out["head_id_prev"].isna()
    out["changed"] = ~(same | both_vacant)
    return out


def movements_summary(con, settings: dict, year: int) -> dict:
    """The contract's ``movements`` figures for ``year`` (all counts ints)."""
    year = int(year)
    s = settings
    start, end = _year_span(year)
    mv = _movements_table(con, start, end, s)
    counts = store.frame(con, "movements_summary", {"movement_states": mv}).iloc[0]
    by_rank = store.frame(con, "movements_promotions_by_rank", {"movement_states": mv},
                          ladder=list(s["ladder"]))
    heads = _head_changes(con, year, s)
    return {
        "year": year,
        "promotions": int(counts["promotions"]),
        "promotions_by_to_rank": {str(r): int(n) for r, n in zip(by_rank["rank"], by_rank["n"])},
        "transferred_out_promoted": int(counts["transferred_out_promoted"]),
        "rotations": int(counts["rotations"]),
        "hires": int(counts["hires"]),
        "exits": int(counts["exits"]),
        "sections": int(len(heads)),
        "sections_head_changed": int(heads["changed"].sum()),
        "new_middle_cadres": int(counts["new_middle_cadres"]),
    }


def movements_list(con, settings: dict, year: int) -> pd.DataFrame:
    """The movements of ``year`` for the page, in date and file order, with
    the state around each and what it means (is_promotion, is_new_middle)."""
    s = settings
    start, end = _year_span(int(year))
    mv = _movements_table(con, start, end, s)
    return store.frame(con, "movements_list", {"movement_states": mv})


# ---------------------------------------------------------------- structure

def _band_params(s: dict) -> dict:
    labels = list(s.get("age_bands") or settings_mod.AGE_BANDS)
    return {"band_labels": labels, "band_lows": band_lows(labels)}


def _structure_frames(con, date, s: dict, section: str | None = None, middle_only: bool = False, state=None):
    d = _resolve_date(con, date)
    return d, _scoped(_state_table(con, d, s, state), section, middle_only)


def structure(con, settings: dict, date=None,
              state=None) -> dict:
    """The contract's ``structure`` figures at ``date`` (default: reference date)."""
    s = settings
    d, state = _structure_frames(con, date, s, state=state)
    frames = {"person_state": state}
    summary = _structure_figures(con, state, [d]).iloc[0]
    pyramid = _by_age(con, state, "gender", s)
    edu = store.frame(con, "structure_education_mode", frames,
                      educations=settings_mod.EDUCATIONS, modes=settings_mod.EDUCATION_MODES)
    ranks = store.frame(con, "pipeline_funnel", frames, ladder=list(s["ladder"]))
    by_band = pyramid.groupby("band", sort=False)["n"].sum()
    by_gender = pyramid.groupby("gender", sort=False)["n"].sum()
    by_edu = edu.groupby("education", sort=False)["n"].sum()
    return {
        "date": d.isoformat() if d else None,
        "headcount": int(summary["headcount"]),
        "mean_age": _py(summary["mean_age"]),
        "by_age_band": {str(k): int(v) for k, v in by_band.items()},
        "by_education": {str(k): int(v) for k, v in by_edu.items()},
        "by_rank": {str(k): int(v) for k, v in zip(ranks["rank"], ranks["headcount"])},
        "by_gender": {str(k): int(v) for k, v in by_gender.items()},
        "middle_cadres": {"count": int(summary["middle_count"]),
                          "mean_age": _py(summary["middle_mean_age"])},
    }


_STRUCTURE_COLUMNS = ["headcount", "women", "mean_age", "share_under_35", "bachelor_plus_share",
                      "middle_count", "middle_mean_age", "middle_under_40_share"]


def _structure_figures(con, state, dates: list) -> pd.DataFrame:
    """structure_figures.sql over ``state`` (one or more dates): one row per
    date asked, in order, ``as_of`` first; a date with nobody in office has
    counts 0 and means missing (unknown, not zero)."""
    got = store.frame(con, "structure_figures", {"person_state": state}, bachelor_plus=_bachelor_plus())
    got["as_of"] = pd.to_datetime(got["as_of"])
    asked = pd.DataFrame({"as_of": pd.to_datetime([_as_date(d) for d in dates])})
    out = asked.merge(got, on="as_of", how="left")
    for col in ("headcount", "women", "middle_count"):
        out[col] = out[col].fillna(0).astype("int64")
    return out[["as_of", *_STRUCTURE_COLUMNS]]


def _by_age(con, state, by: str, s: dict) -> pd.DataFrame:
    """structure_by_age.sql: by age band × gender (columns gender,
    gender_order) or × rank (rank, step)."""
    values = settings_mod.GENDERS if by == "gender" else list(s["ladder"])
    out = store.frame(con, "structure_by_age", {"person_state": state}, by=by, values=list(values),
                      **_band_params(s))
    return out.rename(columns={"value": by, "value_order": "gender_order" if by == "gender" else "step"})


def _table_specs(s: dict) -> dict[str, tuple[str, dict]]:
    return {
        "education_mode": ("structure_education_mode",
                           dict(educations=settings_mod.EDUCATIONS,
                                modes=settings_mod.EDUCATION_MODES)),
        "political": ("structure_political", dict(statuses=settings_mod.POLITICAL_STATUSES)),
        "service_years": ("structure_service_years",
                          dict(band_labels=SERVICE_BANDS, band_lows=SERVICE_BAND_LOWS)),
        "by_section": ("structure_by_section",
                       dict(bachelor_plus=_bachelor_plus(), leadership=s["leadership_section"])),
        "middle_cadres": ("structure_middle_cadres", {}),
    }


STRUCTURE_TABLES = ("age_gender", "age_rank", "education_mode", "political",
                    "service_years", "by_section", "middle_cadres")


def structure_tables(con, settings: dict, date=None, which=STRUCTURE_TABLES, section: str | None = None,
                     middle_only: bool = False,
                     state=None) -> dict[str, pd.DataFrame]:
    """The structure page's tables at ``date`` from one state computation:
    ``age_gender`` (the age pyramid, band × gender), ``age_rank`` (band ×
    rank, the echelons), ``education_mode``, ``political``, ``service_years``
    (bands of whole years), ``by_section``, ``middle_cadres`` (one row each);
    on request (``which``) ``headline`` (one row: headcount, women, mean age,
    share under 35, share 大学本科+, middle cadres and their share under 40,
    ``as_of``). Scoped to the people of ``section`` (None: everyone) and to
    the middle-level cadres when ``middle_only``."""
    s = settings
    d, state = _structure_frames(con, date, s, section, middle_only, state)
    specs = _table_specs(s)
    out = {}
    for key in which:
        if key in ("age_gender", "age_rank"):
            out[key] = _by_age(con, state, "gender" if key == "age_gender" else "rank", s)
        elif key == "headline":
            head = _structure_figures(con, state, [d]).drop(columns="middle_mean_age")
            out[key] = head[[c for c in head.columns if c != "as_of"] + ["as_of"]]
        else:
            name, params = specs[key]
            out[key] = store.frame(con, name, {"person_state": state}, **params)
    return out



def data_years(con) -> list[int]:
    """The years the data covers: from the earliest movement or period end to
    the reference date's year."""
    row = store.arrow(con, "timeline_reference_date").to_pylist()[0]
    ref = _as_date(row["reference_date"])
    if ref is None:
        return []
    first = _as_date(row["first_date"]) or ref
    return list(range(first.year, ref.year + 1))


def structure_trend(con, settings: dict, section: str | None = None) -> pd.DataFrame:
    """The structure at each year end in the data (one row per year): headcount,
    mean age, share under 35, share with 大学本科 or above, middle cadres and
    the share of them under 40, with the settings' targets (``target_*``);
    of the office, or of the people in ``section`` at each year end. The
    states at every year end come from one query."""
    s = settings
    years = data_years(con)
    columns = ["year", "as_of", "headcount", "mean_age", "share_under_35",
               "bachelor_plus_share", "middle_count", "middle_under_40_share",
               "target_bachelor_plus_share", "target_middle_under_40_share"]
    if not years:
        return pd.DataFrame(columns=columns)
    ends = [dt.date(y, 12, 31) for y in years]
    out = _structure_figures(con, _scoped(_state_series(con, ends, s), section), ends)
    out.insert(0, "year", years)
    targets = s.get("structure_targets") or {}
    out["target_bachelor_plus_share"] = targets.get("bachelor_or_above_share")
    out["target_middle_under_40_share"] = targets.get("middle_under_40_share")
    return out[columns]


# ---------------------------------------------------------------- pipelines

def funnel(con, settings: dict, date=None,
           state=None) -> pd.DataFrame:
    """People in office per rank, in ladder order, at ``date``."""
    s = settings
    d = _resolve_date(con, date)
    return store.frame(con, "pipeline_funnel", {"person_state": _state_table(con, d, s, state)},
                       ladder=list(s["ladder"]))


def flows(con, settings: dict, start, end) -> pd.DataFrame:
    """Flows over [start, end] for a Sankey: columns flow (promotion, rotation,
    hire, transfer_in, transfer_out, retire), source, target, value; a null
    source or target is outside the office."""
    s = settings
    mv = _movements_table(con, start, end, s)
    return store.frame(con, "pipeline_flows", {"movement_states": mv})


def time_in_rank(con, settings: dict, start=None, end=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Promotions in [start, end] with the years spent in the rank left, and
    per step (from_rank → to_rank) its distribution (median, quartiles…)."""
    s = settings
    mv = _movements_table(con, start, end, s)
    rows = store.arrow(con, "pipeline_time_in_rank", {"movement_states": mv}, ladder=list(s["ladder"]))
    summary = store.arrow(con, "pipeline_time_in_rank_summary", {"promotions": rows})
    return store.frame_of(rows), store.frame_of(summary)


def _rule_params(s: dict) -> dict:
    rules = s.get("promotion_rules") or {}
    ranks = [r for r in s["ladder"] if r in rules]

    def field(key, cast):
        out = []
        for r in ranks:
            value = rules[r].get(key)
            out.append(None if value is None else cast(value))
        return out

    return {
        "rule_rank": ranks,
        "rule_min_years_in_rank": field("min_years_in_rank", float),
        "rule_min_years_service": field("min_years_service", float),
        "rule_grade_years": field("grade_years", int),
        "rule_no_basic": field("no_basic_in_years", bool),
        "rule_min_excellent": field("min_excellent", int),
        "rule_education_floor": field("education_floor", str),
    }


def _eligibility_table(con, d: dt.date, state, s: dict):
    from cadre.foresight import rules as rank_rules
    return store.arrow(con, "pipeline_eligibility", {"person_state": state}, date=d,
                       ladder=list(s["ladder"]), educations=settings_mod.EDUCATIONS,
                       **_rule_params(s), **rank_rules.time_params(s))


def eligibility(con, settings: dict, date=None,
                state=None) -> pd.DataFrame:
    """For each person in office at ``date``: the next rank, each rule's
    pass/fail (``pass_*``), ``eligible``, ``blocking`` (the failed rules, a
    list) and the reserve (后备干部) flag."""
    s = settings
    d = _resolve_date(con, date)
    table = _eligibility_table(con, d, _state_table(con, d, s, state), s)
    lists = ("blocking", "unknown")
    out = store.frame_of(table.drop_columns(list(lists)))
    for col in lists:  # lists of rule names, [] for none: built by Arrow, not per person in Python
        values = table[col]
        out[col] = pd.Series(pc.if_else(pc.is_null(values), pa.scalar([], values.type), values).to_pylist(),
                             index=out.index, dtype=object)
    return out[list(table.column_names)]


def succession(con, settings: dict, date=None, horizon_years: float = 3.0,
               state=None) -> pd.DataFrame:
    """Succession risk per compared section at ``date``: head, age, years to
    retirement (retirement age by gender), deputies and eligible deputies,
    risk ('vacant', 'high', 'medium', 'low')."""
    s = settings
    d = _resolve_date(con, date)
    state = _state_table(con, d, s, state)
    heads = _heads_table(con, state, s)
    elig = _eligibility_table(con, d, state, s).select(
        ["person_id", "section", "is_deputy", "eligible"])
    retire = s.get("retirement_age") or {}
    return store.frame(con, "pipeline_succession",
                       {"section_heads": heads, "eligibility": elig},
                       date=d, retire_genders=list(retire.keys()),
                       retire_ages=[int(v) for v in retire.values()],
                       horizon=float(horizon_years))


def rotation_due(con, settings: dict, date=None,
                 state=None) -> pd.DataFrame:
    """Everyone in office at ``date`` with rotation_years or more in the same
    post, by section."""
    s = settings
    d = _resolve_date(con, date)
    return store.frame(con, "pipeline_rotation_due", {"person_state": _state_table(con, d, s, state)},
                       date=d, years=float(s["rotation_years"]))


def tenure_unknown(con, settings: dict, date=None,
                   state=None) -> pd.DataFrame:
    """Everyone in office at ``date`` whose time in rank (``rank_unknown``)
    or in post (``post_unknown``) no roster date or movement gives."""
    s = settings
    d = _resolve_date(con, date)
    return store.frame(con, "pipeline_tenure_unknown", {"person_state": _state_table(con, d, s, state)})


def exchange_matrix(con, settings: dict, start=None, end=None) -> pd.DataFrame:
    """Movements from one section to another over [start, end]: long form
    (from_section, to_section, n); pivot for a matrix."""
    s = settings
    mv = _movements_table(con, start, end, s)
    return store.frame(con, "pipeline_exchange", {"movement_states": mv})
