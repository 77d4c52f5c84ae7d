"""The person page's opening list: the people of the current scope with
section, rank, latest composite and grade. Pure pandas, no Streamlit."""
from __future__ import annotations

import pandas as pd

from cadre import figures

COLUMNS = ["person_id", "name", "section", "rank", "composite", "computed_grade", "official_grade"]


def scope_people(roster: pd.DataFrame, scored: pd.DataFrame | None, section: str | None,
                 among=None) -> pd.DataFrame:
    """``roster``: assessment.search_people rows; ``scored``: the period's
    scored people (person_id, composite, computed_grade, grade) or None.
    People of ``section`` (None: everyone) and, given ``among`` (person ids,
    e.g. a search's), only those; by section then id."""
    people = roster if section is None else roster[roster["section"] == section]
    if among is not None:
        people = people[people["person_id"].isin(among)]
    out = people[["person_id", "name", "section", "rank"]]
    if scored is not None and len(scored):
        s = scored[["person_id", "composite", "computed_grade", "grade"]].rename(columns={"grade": "official_grade"})
        out = out.merge(s, on="person_id", how="left")
    else:
        out = out.assign(composite=float("nan"), computed_grade=None, official_grade=None)
    out = out.assign(composite=out["composite"].astype(float).round(figures.get("composite").decimals))
    return out[COLUMNS].sort_values(["section", "person_id"], kind="stable").reset_index(drop=True)


# Beyond this many people the page finds a person by a search box over the
# list instead of one select of every person: a city's 10,000 options were
# a 0.7 MB message and a second of server work on every run (issue 12).
PICKER_MAX = 2000
