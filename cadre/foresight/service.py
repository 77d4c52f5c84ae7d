"""The projection's inputs from the store and its outputs as the CLI's JSON
(no Streamlit): the people in office at the start, with their eligibility
under the rules in force, their months in rank, and the latest annual
composite; the office's rules from the settings; the recent exit rate."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from cadre import scoring, store, timeline
from cadre.foresight import projection as P
from cadre.foresight import rules as R

EXIT_RATE_YEARS = 3  # the recent years the default exit rate is read from


def people_at(con, settings: dict, date: dt.date, state=None, elig: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per person in office at ``date``, as ``projection.project``
    takes them. ``state``, ``elig``: the date's ``timeline.state_table`` and
    ``timeline.eligibility`` when the caller has them (read, never changed)."""
    state = timeline.state_table(con, settings, date) if state is None else state
    elig = timeline.eligibility(con, settings, date, state=state) if elig is None else elig
    births = store.frame_of(state).set_index("person_id")["birth_date"]
    out = elig[["person_id", "section", "gender", "education", "rank_step", "rank_since", "is_head",
                "is_deputy", "reserve", "blocking", "excellent_in_rank", "basic_in_rank"]].copy()
    out["birth_date"] = out["person_id"].map(births)
    whole = R.months_in_rank(out["rank_since"], date)
    days = (pd.Timestamp(date) - pd.to_datetime(out["rank_since"])).dt.days / 30.4375
    out["months_in_rank"] = whole if settings.get("rank_whole_months") else np.floor(days)
    t = R.time_params(settings)
    out["credit_months"] = (t["excellent_months"] * out["excellent_in_rank"].fillna(0)
                            - t["basic_months"] * out["basic_in_rank"].fillna(0))
    time_rules = {"min_years_in_rank", "rank_places", "no_next_rank"}
    out["blocked"] = out["blocking"].map(lambda b: bool(set(b) - time_rules))
    rows = store.frame(con, "recent_annual_rows", date=date, years=1)
    comp = scoring.composites(rows, settings).set_index("person_id")["composite"] if len(rows) else pd.Series(
        dtype="float64")
    out["composite"] = out["person_id"].map(comp)
    return out.drop(columns=["blocking"])


def exit_rate(con, date: dt.date, headcount: float) -> float:
    """Other exits a year over the recent years, a share of the headcount (0 without people)."""
    n = int(store.query(con, "foresight_exits", date=date, years=EXIT_RATE_YEARS)["exits"].iloc[0])
    return n / (EXIT_RATE_YEARS * headcount) if headcount else 0.0


def office(settings: dict) -> P.Office:
    return P.office_from_settings(settings, timeline.band_lows(list(settings["age_bands"])))


def run(con, settings: dict, start: dt.date, scenario: P.Scenario) -> tuple[P.Result, dict]:
    """The expected projection of the store's office from ``start``; also the
    inputs it ran with (``exit_rate`` filled from the data when the scenario
    gives a negative one)."""
    s = settings
    people = people_at(con, s, start)
    if scenario.exit_rate < 0:
        scenario = scenario.with_(exit_rate=exit_rate(con, start, len(people)))
    return P.project(people, office(s), scenario, start), {"people": people, "scenario": scenario}


def payload(result: P.Result) -> dict:
    """``bash scripts/cadre project --json``: ``years`` and ``gap_years``."""
    years = []
    for row in result.years.to_dict("records"):
        years.append({k: _json(row[k]) for k in ("year", "headcount", "mean_age", "by_age_band", "by_education",
                                                "by_rank", "vacancies")})
    return {"years": years, "gap_years": {s: y for s, y in result.gap_years.items()}}


def scenario_json(scenario: P.Scenario) -> dict:
    return {"years": scenario.years, "hire": scenario.hire, "hire_age": scenario.hire_age,
            "hire_education": dict(scenario.hire_education), "exit_rate": round(float(scenario.exit_rate), 4),
            "retire_later_years": scenario.retire_later_years, "faster_years": scenario.faster_years}


def _json(value):
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return round(float(value), 4)
    return value


def compare(con, settings: dict, start: dt.date, names: tuple, years: int, state=None, elig=None) -> dict:
    """The expected projection of each named scenario (cadre.foresight.scenarios),
    all with the office's recent exit rate: {name: Result}. ``state``,
    ``elig``: as for :func:`people_at`."""
    from cadre.foresight import scenarios
    people = people_at(con, settings, start, state, elig)
    rate = exit_rate(con, start, len(people))
    rules = office(settings)
    return {n: P.project(people, rules, scenarios.scenario(n, years, rate), start) for n in names}


def band(con, settings: dict, start: dt.date, name: str, years: int, runs: int = 200, seed: int = 2026,
         state=None, elig=None):
    """The simulation band (``runs`` seeded runs with random exits) of
    scenario ``name``. ``state``, ``elig``: as for :func:`people_at`."""
    from cadre.foresight import scenarios
    people = people_at(con, settings, start, state, elig)
    rate = exit_rate(con, start, len(people))
    return P.simulate(people, office(settings), scenarios.scenario(name, years, rate), start, runs, seed)


def gap_table(results: dict) -> pd.DataFrame:
    """Sections (rows) by scenario (columns): the first gap year, None when none."""
    cols = {name: pd.Series(r.gap_years, dtype=object) for name, r in results.items()}
    out = pd.DataFrame(cols)
    out.index.name = "section"
    return out.reset_index()


def gap_text(gaps: pd.DataFrame, none_text: str) -> pd.DataFrame:
    """The gap table as text for the screen: a year as written, none as ``none_text``."""
    out = gaps.copy()
    for col in out.columns[1:]:
        out[col] = out[col].map(lambda y: none_text if y is None or y != y else str(int(y)))
    return out
