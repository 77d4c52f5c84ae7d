"""The appraisal session in the store: start (or resume), move, tick,
undo, the meeting's state, and close.

Every move is written when it is made (a crash or a closed browser loses
nothing); the session's grades are always derived from its start grades
and its moves that are not undone (``queries/appraisal_people.sql``).
Closing lands the calibrated grades as the period's official grades in a
new batch of the batch history (``cadre.batches.land_assessments``, undone
like any upload) and records the commendations with that batch.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

import pandas as pd

from cadre import access, audit, batches, i18n, reasons, scoring, store
from cadre.assessment.distribution import previous_period
from cadre.assessment.runner import list_periods
from cadre.assessment.scorer import Scorer
from cadre.whatif import results as whatif_results
from cadre.whatif.lab import load_lab
from cadre.appraisal import board as board_mod
from cadre.appraisal import commendation

REASON_MAX = reasons.MAX
KINDS = ("grade", "individual", "section")


class AppraisalError(ValueError):
    """A request the meeting cannot carry out; ``key`` and ``params`` name
    the message in the catalogues (``appraisal.err.*``)."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key, self.params = key, params

    def message(self, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
        # A list parameter is joined in the reader's language (「、」 or ", ").
        params = {k: i18n.join(v, lang) if isinstance(v, (list, tuple)) else v
                  for k, v in self.params.items()}
        return i18n.t(self.key, lang, **params)


@dataclass
class State:
    """Everything the page, the CLI and the exports show of one session."""
    session: dict
    board: board_mod.Board
    individuals: pd.DataFrame
    sections: pd.DataFrame
    moves: pd.DataFrame              # every move, names and sections joined
    ticks: pd.DataFrame
    commendations: pd.DataFrame      # on record (after a close that stands)


# --------------------------------------------------------------------------- reading

def get_session(con, period: str) -> dict | None:
    rows = store.query(con, "appraisal_session_get", period=period)
    if not len(rows):
        return None
    out = rows.iloc[0].to_dict()
    for k in ("closed_at", "notice_from", "notice_to", "batch_id"):
        if pd.isna(out.get(k)):
            out[k] = None
    out["batch_undone"] = bool(out["batch_undone"])
    return out


def periods_needed(con, period: str) -> tuple[list[str], str | None]:
    """The periods a board reads (the session's, the annual ones up to its
    year, the previous one of its kind) and that previous period."""
    periods = list_periods(con)
    if period not in set(periods["period"]):
        raise AppraisalError("appraisal.err.no_period", period=period)
    year = board_mod.year_of(period)
    annual = periods.loc[(periods["period_kind"] == "annual")
                         & (periods["period"].astype(str).str[:4].astype(int) <= year), "period"].tolist()
    prev = previous_period(periods, period)
    return sorted({period, *annual, *([prev] if prev else [])}), prev


def scored_for(con, settings: dict, period: str, scorer: Scorer | None = None):
    needed, prev = periods_needed(con, period)
    frames = (scorer or Scorer(con, settings)).frames(needed)
    return frames, prev


def stability_for(con, settings: dict, period: str) -> pd.DataFrame:
    """The what-if lab's stability band of everyone in the period (weights ±5 points)."""
    lab = load_lab(con, settings, period)
    if lab is None:
        return pd.DataFrame(columns=["person_id", "rank_min", "rank_max", "top_share"])
    return whatif_results.stability(lab, lab.base_spec)


def state(con, settings: dict, period: str, scorer=None, stability=None) -> State | None:
    """The session of ``period`` as it stands (None when none was started)."""
    session = get_session(con, period)
    if session is None:
        return None
    scored_all, prev = scored_for(con, settings, period, scorer)
    if stability is None:
        stability = stability_for(con, settings, period)
    people = store.query(con, "appraisal_people", period=period)
    board = board_mod.build(scored_all, period, people, settings, stability)
    ticks = store.query(con, "appraisal_ticks", period=period)
    ind = commendation.individuals(board, scored_all, settings, ticks)
    sec = commendation.sections(board, scored_all, settings, prev, ticks)
    return State(session=session, board=board, individuals=ind, sections=sec,
                 moves=_moves_named(con, period, board), ticks=ticks,
                 commendations=store.query(con, "appraisal_commendations", period=period))


def _moves_named(con, period: str, board: board_mod.Board) -> pd.DataFrame:
    moves = store.query(con, "appraisal_moves", period=period)
    who = board.people.set_index("person_id")
    is_person = moves["kind"].isin(["grade", "individual"])
    moves["name"] = moves["subject"].map(who["name"]).where(is_person, None)
    moves["section"] = moves["subject"].map(who["section"]).where(is_person, moves["subject"])
    return moves


# --------------------------------------------------------------------------- changing

def _require(user, action: str) -> None:
    if not access.can(user, action):
        raise AppraisalError("appraisal.err.not_allowed")


def _open_session(con, period: str) -> dict:
    session = get_session(con, period)
    if session is None:
        raise AppraisalError("appraisal.err.no_session", period=period)
    if session["status"] != "open":
        raise AppraisalError("appraisal.err.closed", period=period)
    return session


def _reason(text) -> str:
    reason, problem = reasons.check(text)
    if problem:
        raise AppraisalError(f"appraisal.err.{problem}", n=REASON_MAX)
    return reason


def start(con, settings: dict, period: str, user, now: dt.datetime | None = None, scorer=None) -> dict:
    """Open ``period``'s session from the official grades where loaded (per
    person), else the computed ones; an open session is resumed as it is; a
    closed one whose batch was undone opens again with its moves."""
    _require(user, "appraise")
    session = get_session(con, period)
    if session is not None:
        if session["status"] == "open":
            return session
        if not session["batch_undone"]:
            raise AppraisalError("appraisal.err.closed", period=period)
        with store.transaction(con) as cur:
            store.execute(cur, "appraisal_session_reopen", period=period)
        return get_session(con, period)
    scored_all, _ = scored_for(con, settings, period, scorer)
    cur_rows = scored_all[scored_all["period"] == period]
    official = cur_rows["grade"].notna()
    staged = pd.DataFrame({
        "person_id": cur_rows["person_id"].astype(str).to_numpy(),
        "start_grade": cur_rows["grade"].where(official, cur_rows["computed_grade"]).astype(object).to_numpy(),
        "origin": official.map({True: "official", False: "computed"}).to_numpy(),
    })
    kind = str(cur_rows["period_kind"].iloc[0])
    with store.transaction(con) as cur:
        store.execute(cur, "appraisal_session_insert", period=period, period_kind=kind,
                      started_at=now or dt.datetime.now().replace(microsecond=0), user_name=user.name)
        cur.register("staged_appraisal_people", staged)
        store.execute(cur, "appraisal_people_insert", period=period)
        cur.unregister("staged_appraisal_people")
    return get_session(con, period)


def move(con, settings: dict, period: str, person_id: str, to: str, reason: str, user,
         now: dt.datetime | None = None, scorer=None) -> dict:
    """Move one person to grade ``to`` with a reason; a move that breaks the
    quota (office or section) or puts a top grade under the floor is allowed
    and recorded as such. Returns the move."""
    _require(user, "appraise")
    _open_session(con, period)
    reason = _reason(reason)
    people = store.query(con, "appraisal_people", period=period)
    row = people[people["person_id"] == str(person_id)]
    if not len(row):
        raise AppraisalError("appraisal.err.no_person", person=person_id, period=period)
    kind = scoring.period_kind_of(period)
    labels = scoring.grade_labels(kind)
    if to not in labels:
        raise AppraisalError("appraisal.err.bad_grade", grade=to, grades=list(labels))
    before = row.iloc[0]["grade"]
    if before == to:
        raise AppraisalError("appraisal.err.same_grade", person=person_id, grade=to)
    scored_all, _ = scored_for(con, settings, period, scorer)
    people.loc[people["person_id"] == str(person_id), "grade"] = to
    trial = board_mod.build(scored_all, period, people, settings)
    mover = trial.people[trial.people["person_id"] == str(person_id)].iloc[0]
    breaks = to == labels[0] and board_mod.over_quota(trial.quota)
    below = bool(mover["below_floor"])
    stamp = now or dt.datetime.now().replace(microsecond=0)
    with store.transaction(con) as cur:
        store.execute(cur, "appraisal_move_insert", period=period, kind="grade", subject=str(person_id),
                      from_value=before, to_value=to, reason=reason, user_name=user.name, moved_at=stamp,
                      breaks_quota=bool(breaks), below_floor=below)
    return {"person_id": str(person_id), "from": before, "to": to, "reason": reason, "user": user.name,
            "time": stamp.isoformat(sep=" "), "breaks_quota": bool(breaks), "below_floor": below}


def commend(con, settings: dict, period: str, kind: str, subject: str, on: bool, reason: str, user,
            now: dt.datetime | None = None, scorer=None) -> dict:
    """Tick (``on``) or untick a 先进个人 (kind 'individual', a person_id) or
    先进科室 (kind 'section') with a reason, like a grade move."""
    _require(user, "appraise")
    _open_session(con, period)
    reason = _reason(reason)
    if kind == "individual":
        people = store.query(con, "appraisal_people", period=period)
        if str(subject) not in set(people["person_id"]):
            raise AppraisalError("appraisal.err.no_person", person=subject, period=period)
    else:
        scored_all, _ = scored_for(con, settings, period, scorer)
        cur = scored_all[scored_all["period"] == period]
        if str(subject) not in set(cur["section"].dropna()) or str(subject) == settings["leadership_section"]:
            raise AppraisalError("appraisal.err.no_section", section=subject)
    ticks = store.query(con, "appraisal_ticks", period=period)
    prior = ticks[(ticks["kind"] == kind) & (ticks["subject"] == str(subject))]
    before = prior.iloc[0]["tick"] if len(prior) else None
    to = "on" if on else "off"
    stamp = now or dt.datetime.now().replace(microsecond=0)
    with store.transaction(con) as cur:
        store.execute(cur, "appraisal_move_insert", period=period, kind=kind, subject=str(subject),
                      from_value=before, to_value=to, reason=reason, user_name=user.name, moved_at=stamp,
                      breaks_quota=False, below_floor=False)
    return {"kind": kind, "subject": str(subject), "from": before, "to": to, "reason": reason,
            "user": user.name, "time": stamp.isoformat(sep=" ")}


def undo(con, period: str, user) -> dict | None:
    """Undo the session's last move that is not undone (kept in the record,
    marked undone). Returns it, or None when there is none."""
    _require(user, "appraise")
    _open_session(con, period)
    last = store.query(con, "appraisal_move_last", period=period)
    if not len(last):
        return None
    row = last.iloc[0]
    with store.transaction(con) as cur:
        store.execute(cur, "appraisal_move_undo", period=period, seq=int(row["seq"]))
    return {"seq": int(row["seq"]), "kind": row["kind"], "subject": row["subject"],
            "from": row["from_value"], "to": row["to_value"]}


def default_notice(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The 公示 period: from today, seven days (the caller may set others)."""
    start_day = today or dt.date.today()
    return start_day, start_day + dt.timedelta(days=6)


def close(con, settings: dict, period: str, user, notice_from: dt.date | None = None, notice_to: dt.date | None = None,
          now: dt.datetime | None = None, scorer=None) -> int:
    """Write the calibrated grades as the period's official grades (a new
    batch, undoable) and the commendations as records; the session closes.
    Returns the batch id."""
    _require(user, "close_appraisal")
    _open_session(con, period)
    if notice_from is None or notice_to is None:
        notice_from, notice_to = default_notice()
    if notice_to < notice_from:
        raise AppraisalError("appraisal.err.notice_dates")
    st = state(con, settings, period, scorer=scorer, stability=pd.DataFrame())
    grades = st.board.people.set_index("person_id")["grade"].dropna()
    rows = store.query(con, "appraisal_period_rows", period=period)
    rows["grade"] = rows["person_id"].map(grades).where(rows["person_id"].isin(grades.index), rows["grade"])
    rows["grade"] = rows["grade"].astype(object).where(rows["grade"].notna(), None)
    ind = st.individuals[st.individuals["commended"]].sort_values(["place", "composite"], ascending=[True, False],
                                                                   na_position="last")
    sec = st.sections[st.sections["commended"]]
    staged = pd.concat([
        pd.DataFrame({"kind": "individual", "subject": ind["person_id"].astype(str), "name": ind["name"],
                      "section": ind["section"], "place": range(1, len(ind) + 1)}),
        pd.DataFrame({"kind": "section", "subject": sec["section"].astype(str), "name": None,
                      "section": sec["section"], "place": range(1, len(sec) + 1)}),
    ], ignore_index=True)
    staged["place"] = staged["place"].astype("int64")
    digest = hashlib.sha256(json.dumps(sorted(grades.astype(str).items()), ensure_ascii=False)
                            .encode("utf-8")).hexdigest()
    stamp = now or dt.datetime.now().replace(microsecond=0)

    def record(cur, batch_id: int) -> None:
        cur.register("staged_commendations", staged)
        store.execute(cur, "appraisal_commendations_insert", period=period, batch_id=batch_id)
        cur.unregister("staged_commendations")
        store.execute(cur, "appraisal_session_close", period=period, closed_at=stamp, user_name=user.name,
                      batch_id=batch_id, notice_from=notice_from, notice_to=notice_to)

    name = i18n.t("appraisal.batch_name", i18n.DEFAULT_LANGUAGE, period=period)
    batch_id = batches.land_assessments(con, rows, name, digest, also=record)
    # the official grades changed: one audit entry, whoever closed (page or shell)
    audit.record(con, user, "appraisal_close", {"period": period, "batch": int(batch_id),
                                                "moves": int((~st.moves["undone"] & (st.moves["kind"] == "grade")).sum())})
    return batch_id


# --------------------------------------------------------------------------- JSON

def _iso(x):
    if x is None or (not isinstance(x, str) and pd.isna(x)):
        return None
    return pd.Timestamp(x).isoformat(sep=" ") if isinstance(x, (pd.Timestamp, dt.datetime)) else str(x)


def show_json(st: State) -> dict:
    """``appraisal show --json``."""
    b = st.board
    people_cols = ["person_id", "name", "section", "composite", "rank", "computed_grade", "grade",
                   "start_grade", "official_grade", "origin", "section_rank", "history", "rank_min", "rank_max",
                   "top_share", "below_floor"]
    moves = st.moves
    grade_moves = moves[(moves["kind"] == "grade") & ~moves["undone"]]
    s = st.session
    return {
        "period": b.period,
        "period_kind": b.kind,
        "session": {"status": s["status"], "started_at": _iso(s["started_at"]), "started_by": s["started_by"],
                    "closed_at": _iso(s["closed_at"]), "closed_by": s.get("closed_by"),
                    "batch_id": None if s["batch_id"] is None else int(s["batch_id"]),
                    "batch_undone": s["batch_undone"],
                    "notice_from": _iso(s["notice_from"]), "notice_to": _iso(s["notice_to"])},
        "people": commendation.as_records(b.people[people_cols]),
        "moves": [{"person_id": r.subject, "from": r.from_value, "to": r.to_value, "reason": r.reason,
                   "user": r.user_name, "time": _iso(r.moved_at), "breaks_quota": bool(r.breaks_quota),
                   "below_floor": bool(r.below_floor)} for r in grade_moves.itertuples(index=False)],
        "record": [{"seq": int(r.seq), "kind": r.kind, "subject": r.subject, "from": r.from_value,
                    "to": r.to_value, "reason": r.reason, "user": r.user_name, "time": _iso(r.moved_at),
                    "breaks_quota": bool(r.breaks_quota), "below_floor": bool(r.below_floor),
                    "undone": bool(r.undone)} for r in moves.itertuples(index=False)],
        "quota": b.quota,
        "warnings": b.warnings,
        "commendations": {
            "individuals": commendation.as_records(st.individuals),
            "sections": commendation.as_records(st.sections),
            "on_record": commendation.as_records(st.commendations),
        },
    }
