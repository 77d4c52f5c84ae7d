"""The checks across rows and datasets of one upload (and the store's
roster and movements): people known, grades consistent, one assessment a
person and period, movements in a possible order, ages possible. Split from
:mod:`cadre.ingest.upload`, which reads and checks each table on its own."""
from __future__ import annotations

import pandas as pd

from cadre import settings as S

from .parse import as_text
from .problems import Collector

AGE_MIN, AGE_MAX = 16, 70


def _age(birth: pd.Series, at: pd.Series) -> pd.Series:
    b, a = birth.dt, at.dt
    before = (a.month * 100 + a.day) < (b.month * 100 + b.day)
    return a.year - b.year - before.astype("Int64")


ENTRY_KINDS = ("录用", "调入")
EXIT_KINDS = ("调出", "退休")


def _with_stored(m: pd.DataFrame, stored: pd.DataFrame | None) -> pd.DataFrame:
    """The upload's movements ``m`` with the stored ones of the same people
    (flag ``_stored``), less those the upload replaces (same person, date and
    kind): the order a person's movements will have once stored. Stored
    movements come first on a shared date (they were uploaded earlier)."""
    m = m.assign(_stored=False)
    if stored is None or not len(stored):
        return m
    s = stored[["person_id", "date", "kind"]].copy()
    s["person_id"] = as_text(s["person_id"])
    s["date"] = pd.to_datetime(s["date"])
    s = s[s["person_id"].isin(m["person_id"].unique())]
    if not len(s):
        return m
    keys = ["person_id", "date", "kind"]
    replaced = s.set_index(keys).index.isin(m.set_index(keys).index)
    s = s[~replaced].assign(_stored=True, seq=-1)
    return pd.concat([m, s], ignore_index=True)


def _movement_order(moves: pd.DataFrame, births: pd.Series, col: Collector,
                    stored: pd.DataFrame | None = None) -> None:
    """A person's movements in a possible order: nothing before their hire
    (录用/调入) or after their exit (调出/退休) unless hired again, and none
    before the age of 16. ``births``: person_id -> birth date. The order is
    judged with the person's ``stored`` movements (an upload adds to the
    store), and only the upload's rows are reported."""
    m = moves[moves["person_id"].notna() & moves["date"].notna() & moves["kind"].notna()]
    if not len(m):
        return
    m = _with_stored(m, stored)
    m = m.sort_values(["person_id", "date", "seq"], kind="stable")
    uploaded = ~m["_stored"].astype(bool)
    state = m["kind"].map({k: 1.0 for k in ENTRY_KINDS} | {k: 0.0 for k in EXIT_KINDS})
    before = state.groupby(m["person_id"], sort=False).shift().groupby(m["person_id"], sort=False).ffill()
    has_entry = state.eq(1.0).groupby(m["person_id"], sort=False).transform("any")
    is_entry = state.eq(1.0)
    first_entry = m["date"].where(is_entry).groupby(m["person_id"], sort=False).transform("min")
    bad_before = ~is_entry & before.isna() & has_entry & uploaded
    col.rows(m, bad_before, "movement_before_hire", "date", dataset="movements",
             params={"hired": first_entry.dt.strftime("%Y-%m-%d"), "kind": m["kind"]})
    last_exit = m["date"].where(state.eq(0.0)).groupby(m["person_id"], sort=False).ffill()
    last_exit = last_exit.groupby(m["person_id"], sort=False).shift()
    bad_after = ~is_entry & before.eq(0.0) & uploaded
    col.rows(m, bad_after, "movement_after_exit", "date", dataset="movements",
             params={"exit": last_exit.dt.strftime("%Y-%m-%d"), "kind": m["kind"]})
    if not len(births):
        return
    births = pd.Series(pd.to_datetime(births.values, errors="coerce"), index=births.index)
    birth = pd.Series(births.reindex(m["person_id"].values).values, index=m.index)
    known = birth.notna()
    if known.any():
        age = _age(birth.where(known, m["date"]), m["date"])
        young = known & (age < AGE_MIN).fillna(False) & ~bad_before & ~bad_after & uploaded
        col.rows(m, young, "movement_too_young", "date", dataset="movements",
                 params={"age": age, "birth": birth.dt.strftime("%Y-%m-%d"), "kind": m["kind"]})


def cross_checks(roster, assess, grade_rows, moves, store_roster, col,
                  check_people: bool = True, store_latest=None, store_moves=None) -> None:
    """Checks across rows and datasets. ``check_people`` is False when a
    roster table could not be read: every ID would then look unknown, and
    the roster's own problem is the one to fix."""
    # -- assessments among themselves
    if len(assess):
        full = col.duplicates(assess, ["person_id", "period", "source"], "duplicate_assessment", "period",
                              "assessments")
        # 综合 beside other sources
        pp = assess[full]
        comb = pp["source"] == S.SOURCE_COMBINED
        n_src = pp.groupby(["person_id", "period"])["source"].transform("nunique")
        bad = comb & (n_src > 1)
        col.rows(pp, bad, "combined_with_sources", "source", dataset="assessments",
                 values=pp["period"])
    if len(grade_rows):
        g = grade_rows[grade_rows["grade"].notna() & grade_rows["period"].notna()
                       & grade_rows["person_id"].notna()]
        annual = g["period_kind"] == "annual"
        wrong = (annual & ~g["grade"].isin(S.ANNUAL_GRADES)) | (~annual & ~g["grade"].isin(S.QUARTERLY_GRADES))
        col.rows(g, wrong, "grade_wrong_kind", "grade", dataset="assessments",
                 params={"allowed": g["period_kind"].map(
                     {"annual": S.ANNUAL_GRADES, "quarterly": S.QUARTERLY_GRADES})})
        first = g.groupby(["person_id", "period"], sort=False)["grade"].transform("first")
        incons = g["grade"] != first
        col.rows(g, incons, "grade_inconsistent", "grade", dataset="assessments",
                 params={"first_value": first})
    # -- unknown people: against the roster the store will hold after the upload
    known = set(roster["person_id"].dropna().tolist()) if len(roster) else set()
    if store_roster is not None and len(store_roster):
        known |= set(as_text(store_roster["person_id"]).dropna().tolist())
    for df, ds in ((assess, "assessments"), (moves, "movements")):
        if len(df) and check_people:
            pid = df["person_id"]
            col.rows(df, pid.notna() & ~pid.isin(known), "unknown_person", "person_id", dataset=ds)
    # -- the data's latest date: movement dates and period ends of the upload
    ends = []
    if len(moves):
        ends.append(moves["date"].max())
    if len(assess) and "period_end" in assess:
        ends.append(pd.to_datetime(assess["period_end"]).max())
    ends = [e for e in ends if pd.notna(e)]
    stored = pd.Timestamp(store_latest) if store_latest is not None and pd.notna(store_latest) else None
    # No date may lie after the latest date of the data the store will hold;
    # ages are judged at the upload's own latest date first (the contract),
    # else the store's, so a roster alone is judged the same: an office's
    # data that ends in 2001 is not aged to the 2023 of another upload.
    latest = max(ends + [stored]) if stored is not None else (max(ends) if ends else None)
    age_at = max(ends) if ends else stored
    # -- movements in a possible order (birth from the upload's roster, else the store's)
    if len(moves):
        births = pd.Series(dtype="datetime64[ns]")
        if store_roster is not None and len(store_roster) and "birth_date" in store_roster:
            births = pd.Series(pd.to_datetime(store_roster["birth_date"]).values,
                               index=as_text(store_roster["person_id"]).values)
        if len(roster):
            r = roster[roster["person_id"].notna() & roster["birth_date"].notna()]
            births = pd.concat([births, pd.Series(r["birth_date"].values, index=r["person_id"].values)])
        births = births[~births.index.duplicated(keep="last")]
        _movement_order(moves, births, col, stored=store_moves)
    if len(roster):
        if latest is None:  # a roster alone in an empty store: its own latest date
            own = [roster[c].max() for c in ("join_work_date", "rank_since", "post_since")]
            own = [d for d in own if pd.notna(d)]
            latest = age_at = max(own) if own else None
        if latest is not None:
            for c in ("birth_date", "join_work_date", "rank_since", "post_since"):
                bad = roster[c].notna() & (roster[c] > latest)
                col.rows(roster, bad, "date_after_data", c, dataset="roster",
                         latest=latest.date().isoformat())
        birth = roster["birth_date"]
        jw = roster["join_work_date"]
        m = birth.notna() & jw.notna()
        if m.any():
            age = _age(birth, jw)
            bad = m & ((age < AGE_MIN) | (age > AGE_MAX)).fillna(False)
            col.rows(roster, bad, "age_at_join", "birth_date", dataset="roster",
                     params={"age": age, "at": jw.dt.strftime("%Y-%m-%d")})
        if age_at is not None:
            m = birth.notna() & (roster["status"] == "在职") & (birth <= age_at)
            if m.any():
                at = pd.Series(age_at, index=roster.index)
                age = _age(birth, at)
                bad = m & ((age < AGE_MIN) | (age > AGE_MAX)).fillna(False)
                col.rows(roster, bad, "age_at_latest", "birth_date", dataset="roster",
                         params={"age": age}, at=age_at.date().isoformat())
