"""The workforce projection (队伍预测): the office year by year from a start
date, under the rank rules in force (docs/contract.md, "Workforce projection").

Pure and vectorised: ``project(people, office, scenario)`` works on numpy
arrays of the people in office at the start (one row each), one step a
year; nothing loops over people. Each year, in this order:

1. time passes: ages and months in rank grow by a year;
2. retirements: a person leaves in the year their statutory age is reached
   (by gender, ``office.retire_ages``; later by the 2025 gradual rise when
   ``office.retirement_rise``, and by ``scenario.retire_later_years``);
   other exits at ``scenario.exit_rate`` a year: the expected projection
   thins everyone by the rate (a weight, so the figures are expected
   values; an exit by rate does not open a post there), a simulation run
   draws who leaves (and so opens posts);
3. head posts left vacant are filled from the reserve pool (后备干部) first,
   then from the section's deputies, by rank and composite; a section whose
   head post stays vacant has its gap year (the first such year);
4. deputy posts left vacant (as many as at the start) are filled from the
   reserve pool first, then from the section's staff, by rank and composite;
5. rank steps by time: a person whose time in rank meets the next step's
   requirement (less ``scenario.faster_years``) moves up, unless a rule
   other than time blocked them at the start (future grades are taken as
   称职), unless the step is a post's rank (reached by filling the post),
   and within the 职数 of the rank;
6. hires: ``scenario.hire`` people at ``scenario.hire_age`` on the lowest
   rank, educations by ``scenario.hire_education``, to the smallest sections.

"Ready" for a post that carries a rank (the demo's 科长 → 正股级): holds
that rank, or the rank below with its time served and no other rule
blocking; for a post apart from the 职级 (the 2019 preset): meets the time
requirement of the next 职级 (or holds the ladder's top).
The leadership section's posts are not projected.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

# The 2025 gradual rise of the statutory retirement age (全国人大常委会,
# 2024-09-13, from 2025-01-01), as commonly read: base age -> (first month
# of birth it applies to, months of birth per month of delay, most months).
RISE = {60: ((1965, 1), 4, 36), 55: ((1970, 1), 4, 36), 50: ((1975, 1), 2, 60)}


@dataclass(frozen=True)
class Scenario:
    """What a projection assumes; every field a URL / CLI parameter."""
    years: int = 5
    hire: int = 0                       # people hired a year
    hire_age: int = 25
    hire_education: tuple = (("大学本科", 0.7), ("研究生", 0.3))
    exit_rate: float = 0.0              # other exits a year, share of those in office
    retire_later_years: float = 0.0     # "later retirement": years on every statutory age
    faster_years: float = 0.0           # "promote faster": years off every step's requirement

    def with_(self, **changes) -> "Scenario":
        return replace(self, **changes)


@dataclass(frozen=True)
class Office:
    """The rules a projection runs under, from the settings in force."""
    ladder: list
    need_months: list                   # per ladder step (1-based: index 0 unused): months to leave it
    post_steps: dict                    # {"head": step or 0, "deputy": step or 0}
    post_bound: frozenset               # steps reached only by filling a post
    places: dict                        # step -> 职数
    retire_ages: dict                   # gender -> years
    retirement_rise: bool
    age_bands: list
    band_lows: list
    educations: list
    leadership: str


@dataclass
class Result:
    years: pd.DataFrame                 # one row per year: year, headcount, mean_age, ... (dict columns)
    gap_years: dict                     # section -> first gap year or None
    band: pd.DataFrame | None = None    # simulation band per year (headcount, mean_age: p10, p90)
    moves: pd.DataFrame = field(default_factory=pd.DataFrame)  # who retired / was promoted, per year


def office_from_settings(settings: dict, band_lows) -> Office:
    """The projection's rules from the settings in force (the preset's or the office's)."""
    ladder = list(settings["ladder"])
    rules = settings.get("promotion_rules") or {}
    need = [0.0] * (len(ladder) + 1)
    for i, rank in enumerate(ladder, start=1):
        nxt = ladder[i] if i < len(ladder) else None
        if nxt is None:
            need[i] = float("inf")
        else:
            years = (rules.get(nxt) or {}).get("min_years_in_rank")
            need[i] = float(years or 0) * 12
    table = (settings.get("post_ranks") or {})
    common = table.get("") or {}
    step = {r: i for i, r in enumerate(ladder, start=1)}
    head = max([step.get(common.get(p), 0) for p in settings["head_posts"]] + [0])
    deputy = max([step.get(common.get(p), 0) for p in settings["deputy_posts"]] + [0])
    bound = {s for s in (head, deputy) if s}
    bound |= {step[r] for r in (table.get(settings["leadership_section"]) or {}).values() if r in step}
    places = {step[r]: int(n) for r, n in (settings.get("rank_places") or {}).items()
              if r in step and n and int(n) > 0}
    from cadre import settings as settings_mod
    return Office(ladder=ladder, need_months=need, post_steps={"head": head, "deputy": deputy},
                  post_bound=frozenset(bound), places=places,
                  retire_ages={g: int(a) for g, a in (settings.get("retirement_age") or {}).items()},
                  retirement_rise=bool(settings.get("retirement_rise", False)),
                  age_bands=list(settings["age_bands"]), band_lows=list(band_lows),
                  educations=list(settings_mod.EDUCATIONS), leadership=settings["leadership_section"])


# ---------------------------------------------------------------- retirement

def _month_index(dates: pd.Series) -> np.ndarray:
    d = pd.to_datetime(dates)
    return (d.dt.year * 12 + d.dt.month - 1).to_numpy(dtype="float64")


def rise_months(birth_m: np.ndarray, base_ages: np.ndarray) -> np.ndarray:
    """Months the 2025 gradual rise adds to each statutory age (vectorised):
    one month per so many months of birth from the rule's first month, up to its most."""
    out = np.zeros(len(birth_m))
    for base, ((y, m), per, most) in RISE.items():
        first = y * 12 + m - 1
        hit = (base_ages == base) & (birth_m >= first)
        out = np.where(hit, np.minimum(np.floor((birth_m - first) / per) + 1, most), out)
    return out


def retire_month(birth_m: np.ndarray, genders: np.ndarray, office: Office, later_years: float = 0.0) -> np.ndarray:
    """The month index in which each person reaches retirement (NaN: unknown birth or gender)."""
    base = pd.Series(genders, dtype=object).map(office.retire_ages).to_numpy(dtype="float64")
    extra = rise_months(birth_m, base) if office.retirement_rise else 0.0
    return birth_m + base * 12 + extra + round(later_years * 12)


# ---------------------------------------------------------------- the state

class _State:
    """The people as arrays (rows grow with hires)."""

    COLUMNS = ("pid", "sec", "gender", "edu", "birth_m", "birth_day", "step", "months", "credit",
               "blocked", "head", "deputy", "reserve", "comp", "w", "retire_m", "hired")

    def __init__(self, people: pd.DataFrame, office: Office, scenario: Scenario, start: dt.date):
        p = people.reset_index(drop=True)
        # Sections as integer codes (in name order; -1: none), so that the
        # yearly steps count and match with bincount and sorts, not hashing.
        self.names = sorted(p["section"].dropna().astype(str).unique())
        self.sec = p["section"].map({s: i for i, s in enumerate(self.names)}).fillna(-1).to_numpy(dtype="int64")
        self.pid = p["person_id"].astype(str).to_numpy(dtype=object)
        self.gender = p["gender"].astype(object).where(p["gender"].notna(), None).to_numpy(dtype=object)
        self.edu = p["education"].astype(object).where(p["education"].notna(), None).to_numpy(dtype=object)
        birth = pd.to_datetime(p["birth_date"])
        self.birth_m = _month_index(birth)
        self.birth_day = birth.dt.day.to_numpy(dtype="float64")
        self.step = pd.to_numeric(p["rank_step"], errors="coerce").fillna(0).to_numpy(dtype="int64")
        self.months = pd.to_numeric(p["months_in_rank"], errors="coerce").to_numpy(dtype="float64")
        self.credit = pd.to_numeric(p.get("credit_months", 0), errors="coerce")
        self.credit = (np.zeros(len(p)) if np.isscalar(self.credit)
                       else self.credit.fillna(0).to_numpy(dtype="float64"))
        self.blocked = p["blocked"].fillna(False).astype(bool).to_numpy()
        self.head = p["is_head"].fillna(False).astype(bool).to_numpy()
        self.deputy = p["is_deputy"].fillna(False).astype(bool).to_numpy()
        self.reserve = p["reserve"].fillna(False).astype(bool).to_numpy()
        self.comp = pd.to_numeric(p["composite"], errors="coerce").to_numpy(dtype="float64")
        self.w = np.ones(len(p))
        self.retire_m = retire_month(self.birth_m, self.gender, office, scenario.retire_later_years)
        self.hired = np.zeros(len(p), dtype=bool)
        # by code, one more entry for "no section" (code -1 indexes it)
        self.ordinary = np.array([n != office.leadership for n in self.names] + [False])
        self.ordinary_codes = np.flatnonzero(self.ordinary)
        self.ordinary_sections = [self.names[c] for c in self.ordinary_codes]
        self.deputy_posts = self.count(self.deputy & self.ordinary[self.sec]) * self.ordinary
        for col in self.COLUMNS:  # own, writable arrays (pandas hands out read-only views)
            setattr(self, col, np.array(getattr(self, col), copy=True))

    def count(self, mask: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        """People of ``mask`` per section code (and last, without a section)."""
        codes = np.where(self.sec[mask] < 0, len(self.names), self.sec[mask])
        return np.bincount(codes, weights=None if weights is None else weights[mask], minlength=len(self.names) + 1)

    def append(self, rows: dict) -> None:
        for col in self.COLUMNS:
            setattr(self, col, np.concatenate([getattr(self, col), rows[col]]))


def _ages(st: _State, at: dt.date) -> np.ndarray:
    at_m = at.year * 12 + at.month - 1
    return np.floor((at_m - st.birth_m - (at.day < st.birth_day)) / 12)


def _ready(st: _State, office: Office, scenario: Scenario, post_step: int = 0) -> np.ndarray:
    need = np.asarray(office.need_months, dtype="float64")[np.clip(st.step, 0, len(office.ladder))]
    need = np.maximum(need - scenario.faster_years * 12, np.minimum(need, 12.0))
    on = st.step > 0
    timely = on & ~st.blocked & (st.months + st.credit >= need)
    top = st.step == len(office.ladder)
    if post_step > 0:  # the post's rank held, or the step below it with its time served
        return ((st.step >= post_step) | ((st.step == post_step - 1) & timely)) & (st.w > 0)
    return (timely | (top & on)) & (st.w > 0)


def _order(st: _State, idx: np.ndarray) -> np.ndarray:
    """``idx`` sorted by rank (high first), composite (high first, unknown last), person id."""
    if not len(idx):
        return idx
    comp = st.comp[idx]
    keys = (st.pid[idx].astype(str), np.where(np.isnan(comp), np.inf, -comp), -st.step[idx])
    return idx[np.lexsort(keys)]


def _take(st: _State, who: np.ndarray, codes, post: str, office: Office) -> None:
    """People ``who`` take a ``post`` in the sections of ``codes`` (arrays of equal length)."""
    if not len(who):
        return
    st.sec[who] = np.asarray(codes, dtype="int64")
    st.head[who] = post == "head"
    st.deputy[who] = post == "deputy"
    st.reserve[who] = False
    step = office.post_steps[post]
    up = who[st.step[who] < step] if step else who[:0]
    st.step[up] = step
    st.months[up] = 0.0
    st.credit[up] = 0.0


def _best_in_section(st: _State, cand: np.ndarray, want: np.ndarray) -> np.ndarray:
    """The best ``want[code]`` candidates of each section (by rank and composite)."""
    if not len(cand):
        return cand
    ordered = _order(st, cand)
    codes = st.sec[ordered]
    by_section = np.argsort(codes, kind="stable")          # best first within each section
    grouped = codes[by_section]
    starts = np.r_[0, np.flatnonzero(np.diff(grouped)) + 1]
    place = np.arange(len(grouped)) - np.repeat(starts, np.diff(np.r_[starts, len(grouped)]))
    j = np.empty_like(place)
    j[by_section] = place
    return ordered[j < want[codes]]


def _fill(st: _State, office: Office, scenario: Scenario) -> tuple[dict, list]:
    """Fill vacant head then deputy posts; returns vacancies left and the sections whose head post stays vacant."""
    n_sec = len(st.names)
    alive = st.w > 0
    ordinary = st.ordinary[st.sec]
    # heads
    headed = st.count(alive & st.head & ordinary) > 0
    vacant = st.ordinary_codes[~headed[st.ordinary_codes]]
    ready = _ready(st, office, scenario, office.post_steps["head"])
    pool = _order(st, np.flatnonzero(ready & st.reserve & ~st.head))
    n = min(len(vacant), len(pool))
    _take(st, pool[:n], vacant[:n], "head", office)
    vacant = vacant[n:]
    if len(vacant):
        want = np.zeros(n_sec + 1, dtype="int64")
        want[vacant] = 1
        cand = np.flatnonzero(ready & st.deputy & ~st.head & (want[st.sec] > 0))
        who = _best_in_section(st, cand, want)
        _take(st, who, st.sec[who], "head", office)
        vacant = vacant[~np.isin(vacant, st.sec[who])]
    # deputies
    held = st.count(alive & st.deputy)
    slots = np.repeat(np.arange(n_sec + 1), np.maximum(st.deputy_posts - held, 0).astype("int64"))
    ready = _ready(st, office, scenario, office.post_steps["deputy"])
    free = ready & ~st.head & ~st.deputy
    pool = _order(st, np.flatnonzero(free & st.reserve))
    n = min(len(slots), len(pool))
    _take(st, pool[:n], slots[:n], "deputy", office)
    slots = slots[n:]
    if len(slots):
        want = np.bincount(slots, minlength=n_sec + 1)
        cand = np.flatnonzero(free & ~st.reserve & ordinary & (want[st.sec] > 0))
        who = _best_in_section(st, cand, want)
        _take(st, who, st.sec[who], "deputy", office)
        left = len(slots) - len(who)
    else:
        left = 0
    return {"head": len(vacant), "deputy": int(left)}, [st.names[c] for c in vacant]


def _rank_steps(st: _State, office: Office, scenario: Scenario) -> None:
    """Time promotions to the next step (not into a post's rank), within 职数."""
    L = len(office.ladder)
    ready = _ready(st, office, scenario) & (st.step > 0) & (st.step < L)
    ready &= ~np.isin(st.step + 1, list(office.post_bound)) if office.post_bound else True
    ready &= ~np.isnan(st.months)
    idx = np.flatnonzero(ready)
    if office.places and len(idx):
        alive = st.w > 0
        held = np.bincount(st.step[alive], weights=st.w[alive], minlength=L + 2)
        ordered = idx[np.lexsort((st.pid[idx].astype(str), -st.months[idx], st.step[idx]))]
        target = st.step[ordered] + 1
        cum = pd.Series(st.w[ordered]).groupby(target).cumsum().to_numpy()
        limit = np.array([office.places.get(int(t), np.inf) for t in target]) - held[target]
        idx = ordered[cum <= limit + 1e-9]
    st.step[idx] += 1
    st.months[idx] = 0.0
    st.credit[idx] = 0.0


def _hire(st: _State, office: Office, scenario: Scenario, at: dt.date) -> None:
    k = int(scenario.hire)
    if k <= 0:
        return
    shares = pd.Series(dict(scenario.hire_education), dtype="float64")
    shares = shares[shares > 0] / shares[shares > 0].sum() if shares.sum() > 0 else pd.Series({None: 1.0})
    raw = shares * k
    n = np.floor(raw).astype(int)
    n[(raw - n).sort_values(ascending=False).index[: k - int(n.sum())]] += 1  # largest remainders
    edus = np.repeat(np.asarray(shares.index, dtype=object), n.to_numpy())
    size = st.count(st.w > 0, st.w)[st.ordinary_codes]
    order = st.ordinary_codes[np.argsort(size, kind="stable")] if len(st.ordinary_codes) else np.array([-1])
    secs = order[np.arange(k) % len(order)]
    at_m = at.year * 12 + at.month - 1
    birth_m = np.full(k, at_m - scenario.hire_age * 12, dtype="float64")
    genders = np.full(k, None, dtype=object)
    base = np.array([np.mean(list(office.retire_ages.values())) if office.retire_ages else np.nan] * k)
    st.append({
        "pid": np.asarray([f"+{at.year}-{i + 1}" for i in range(k)], dtype=object), "sec": secs,
        "gender": genders, "edu": edus, "birth_m": birth_m, "birth_day": np.full(k, 1.0),
        "step": np.ones(k, dtype="int64"), "months": np.zeros(k), "credit": np.zeros(k),
        "blocked": np.zeros(k, dtype=bool), "head": np.zeros(k, dtype=bool), "deputy": np.zeros(k, dtype=bool),
        "reserve": np.zeros(k, dtype=bool), "comp": np.full(k, np.nan), "w": np.ones(k),
        "retire_m": birth_m + base * 12 + round(scenario.retire_later_years * 12),
        "hired": np.ones(k, dtype=bool),
    })


def _snapshot(st: _State, office: Office, at: dt.date, vacancies: dict) -> dict:
    alive = st.w > 0
    w = st.w[alive]
    ages = _ages(st, at)[alive]
    total = float(w.sum())
    known = ~np.isnan(ages)
    mean_age = float(np.average(ages[known], weights=w[known])) if known.any() and w[known].sum() > 0 else None
    lows = np.asarray(office.band_lows)
    band_i = np.clip(np.searchsorted(lows, ages[known], side="right") - 1, 0, len(lows) - 1)
    by_band = np.bincount(band_i, weights=w[known], minlength=len(lows))
    edu_code = pd.Index(office.educations).get_indexer(st.edu[alive])   # -1: unknown or another word
    by_edu = np.bincount(edu_code[edu_code >= 0], weights=w[edu_code >= 0], minlength=len(office.educations))
    steps = np.bincount(st.step[alive], weights=w, minlength=len(office.ladder) + 1)
    return {
        "year": at.year, "date": at.isoformat(), "headcount": total, "mean_age": mean_age,
        "by_age_band": {b: float(v) for b, v in zip(office.age_bands, by_band)},
        "by_education": {e: float(v) / total if total else None for e, v in zip(office.educations, by_edu)},
        "by_rank": {r: float(steps[i]) for i, r in enumerate(office.ladder, start=1)},
        "vacancies": dict(vacancies),
    }


def _anniversary(start: dt.date, k: int) -> dt.date:
    try:
        return start.replace(year=start.year + k)
    except ValueError:  # 29 February
        return start.replace(year=start.year + k, day=28)


def _run(people: pd.DataFrame, office: Office, scenario: Scenario, start: dt.date,
         rng: np.random.Generator | None = None) -> Result:
    st = _State(people, office, scenario, start)
    rows = [_snapshot(st, office, start, {"head": 0, "deputy": 0})]
    gaps: dict = {s: None for s in st.ordinary_sections}
    moves = []
    for k in range(1, int(scenario.years) + 1):
        at = _anniversary(start, k)
        at_m = at.year * 12 + at.month - 1
        st.months = st.months + 12
        retiring = (st.w > 0) & (st.retire_m <= at_m)
        if retiring.any():
            moves.append(pd.DataFrame({"year": at.year, "person_id": st.pid[retiring], "event": "retire"}))
        st.w = np.where(retiring, 0.0, st.w)
        if scenario.exit_rate > 0:
            if rng is None:
                st.w = st.w * (1 - scenario.exit_rate)
            else:
                st.w = np.where(rng.random(len(st.w)) < scenario.exit_rate, 0.0, st.w)
        before = st.step.copy()
        vacancies, unfilled = _fill(st, office, scenario)
        for s in unfilled:
            if gaps.get(s) is None:
                gaps[s] = at.year
        _rank_steps(st, office, scenario)
        up = np.flatnonzero(st.step[: len(before)] > before)
        if len(up):
            moves.append(pd.DataFrame({"year": at.year, "person_id": st.pid[up], "event": "promote"}))
        _hire(st, office, scenario, at)
        rows.append(_snapshot(st, office, at, vacancies))
    frame = pd.DataFrame(rows)
    moved = pd.concat(moves, ignore_index=True) if moves else pd.DataFrame(columns=["year", "person_id", "event"])
    return Result(years=frame, gap_years=gaps, moves=moved)


def project(people: pd.DataFrame, office: Office, scenario: Scenario, start: dt.date) -> Result:
    """The expected (deterministic) projection of ``people`` from ``start``.

    ``people``: one row per person in office at ``start``: person_id,
    section, gender, birth_date, education, rank_step (1-based on the
    ladder; NaN off it), months_in_rank (NaN unknown), credit_months (time
    the grades in rank already count for), blocked (a rule other than time
    blocks), is_head, is_deputy, reserve, composite."""
    return _run(people, office, scenario, start)


def simulate(people: pd.DataFrame, office: Office, scenario: Scenario, start: dt.date,
             runs: int = 200, seed: int = 2026) -> pd.DataFrame:
    """The band of ``runs`` projections with random exits (seeded): per
    year, headcount and mean age at the 10th and 90th percentiles."""
    rng = np.random.default_rng(seed)
    heads, ages = [], []
    for _ in range(int(runs)):
        r = _run(people, office, scenario, start, rng)
        heads.append(r.years["headcount"].to_numpy(dtype="float64"))
        ages.append(r.years["mean_age"].astype("float64").to_numpy())
    h, a = np.vstack(heads), np.vstack(ages)
    years = [_anniversary(start, k).year for k in range(int(scenario.years) + 1)]
    return pd.DataFrame({"year": years,
                         "headcount_p10": np.nanpercentile(h, 10, axis=0),
                         "headcount_p90": np.nanpercentile(h, 90, axis=0),
                         "mean_age_p10": np.nanpercentile(a, 10, axis=0),
                         "mean_age_p90": np.nanpercentile(a, 90, axis=0)})
