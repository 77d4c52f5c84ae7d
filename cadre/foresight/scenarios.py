"""The projection page's scenarios and how they ride in the URL (pure).

A comparison is a list of named scenarios (hire 0 / 3 / 6 a year, later
retirement, promote faster) and a number of years; in the URL as
``?fs=hire0,hire3,hire6&fy=5&fb=1`` (``fb``: the simulation band), so a
link shares the comparison. Unknown names and out-of-range numbers fall
back to the defaults (a shared link never fails).
"""
from __future__ import annotations

from cadre.foresight.projection import Scenario

# name -> the changes to the base scenario (the office's recent exit rate, no hiring)
SCENARIOS = {
    "hire0": {"hire": 0},
    "hire3": {"hire": 3},
    "hire6": {"hire": 6},
    "later": {"retire_later_years": 2.0},
    "faster": {"faster_years": 1.0},
}
DEFAULT = ["hire0", "hire3", "hire6"]
DEFAULT_YEARS = 5
MAX_YEARS = 10
PARAMS = {"scenarios": "fs", "years": "fy", "band": "fb"}


def scenario(name: str, years: int, exit_rate: float = -1.0) -> Scenario:
    """Named scenario ``name`` over ``years`` (exit rate -1: the office's recent rate)."""
    return Scenario(years=years, exit_rate=exit_rate).with_(**SCENARIOS[name])


def from_params(params: dict) -> dict:
    """{scenarios, years, band} from URL parameters (defaults where absent or wrong)."""
    names = [n for n in str(params.get(PARAMS["scenarios"], "")).split(",") if n in SCENARIOS]
    try:
        years = int(params.get(PARAMS["years"], DEFAULT_YEARS))
    except (TypeError, ValueError):
        years = DEFAULT_YEARS
    years = years if 1 <= years <= MAX_YEARS else DEFAULT_YEARS
    return {"scenarios": list(dict.fromkeys(names)) or list(DEFAULT), "years": years,
            "band": str(params.get(PARAMS["band"], "0")) == "1"}


def to_params(state: dict) -> dict:
    """URL parameters of {scenarios, years, band}."""
    return {PARAMS["scenarios"]: ",".join(state["scenarios"]), PARAMS["years"]: str(int(state["years"])),
            PARAMS["band"]: "1" if state["band"] else "0"}
