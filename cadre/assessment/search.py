"""People search over the roster."""
from __future__ import annotations

import pandas as pd

from cadre import store


def search_people(con, text: str = "") -> pd.DataFrame:
    """Roster people whose id or name contains ``text``: person_id, name,
    section, position, rank, status, periods_assessed."""
    return store.query(con, "assessment_people", text=(text or "").strip())

