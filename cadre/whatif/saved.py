"""Saved scenarios (table ``scenarios``) and their adoption as the office's
settings, which only an administrator may do and which is audited."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from cadre import access, audit, store
from cadre.assessment import stored as stored_scores
from cadre.whatif.scenario import Scenario, settings_from

NAME_MAX = 60


def clean_name(name: str) -> str | None:
    """A scenario name trimmed; None when empty or too long."""
    text = " ".join(str(name or "").split())
    return text if 0 < len(text) <= NAME_MAX else None


def save_scenario(con, name: str, spec: Scenario, now: dt.datetime | None = None) -> str:
    """Save (or overwrite) a scenario under ``name``; returns the clean name.

    Raises ValueError for an empty or too long name."""
    clean = clean_name(name)
    if clean is None:
        raise ValueError("scenario name must be 1 to 60 characters")
    cur = con.cursor()
    try:
        store.execute(cur, "whatif_scenario_save", scenario=clean,
                      saved_at=now or dt.datetime.now().replace(microsecond=0), spec=spec.to_json())
    finally:
        cur.close()
    return clean


def list_scenarios(con) -> pd.DataFrame:
    """name, saved_at, spec (JSON text): saved scenarios, newest first."""
    return store.query(con, "whatif_scenario_list")


def load_scenario(con, settings: dict, name: str, kind: str | None = None) -> Scenario | None:
    rows = store.query(con, "whatif_scenario_get", scenario=name)
    if rows.empty:
        return None
    return Scenario.from_json(rows["spec"].iloc[0], settings, kind)


def delete_scenario(con, name: str) -> None:
    cur = con.cursor()
    try:
        store.execute(cur, "whatif_scenario_delete", scenario=name)
    finally:
        cur.close()


def adopt_scenario(con, spec: Scenario, user) -> dict:
    """Make a scenario the office's settings (administrators only).

    Raises PermissionError for other roles. Returns the settings written."""
    if not access.can(user, "adopt_scenario"):
        raise PermissionError("only an administrator may adopt a scenario")
    before = store.get_settings(con)
    values = settings_from(spec, before)
    stored_scores.save_settings(con, values)  # the stored scores follow the adopted weights
    audit.record(con, user, "scenario_adopt", {
        "changed": {k: {"from": before.get(k), "to": v} for k, v in values.items() if before.get(k) != v}})
    return values
