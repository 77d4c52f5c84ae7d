"""Hand-computed checks of every scoring definition (cadre/scoring.py)."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from cadre import scoring as sc
from cadre.settings import defaults


# The what-if table these tests check: ScoreCube under other weights beside its
# baseline (the lab, cadre.whatif.Lab, builds its frames from the same cube).
def _whatif(rows: pd.DataFrame, settings: dict, dimension_weights=None, source_weights=None,
            quota=None, period: str | None = None, sections=None) -> pd.DataFrame:
    """Composites, ranks and grades under other weights, beside the baseline
    (the settings' weights and quota). ``rows``: one period (or pass
    ``period``). Columns: person_id, section, composite, rank, grade,
    baseline_composite, baseline_rank, baseline_grade, official_grade;
    sorted by rank then person_id."""
    cube = sc.ScoreCube(rows, settings, period=period, sections=sections)
    ev = cube.evaluate(dimension_weights, source_weights, quota)
    base = cube.evaluate()
    out = pd.DataFrame({
        "person_id": cube.person_ids, "section": cube.sections,
        "composite": ev.composite, "rank": ev.rank, "grade": ev.grade,
        "baseline_composite": base.composite, "baseline_rank": base.rank, "baseline_grade": base.grade,
        "official_grade": cube.official_grades,
    })
    return out.sort_values(["rank", "person_id"], kind="stable").reset_index(drop=True)


@pytest.fixture
def settings():
    return defaults()


def make_rows(records, period="1999"):
    """Assessment rows; each record (person_id, source, de, neng, qin, ji, **extra)."""
    out = []
    for rec in records:
        pid, source, de, neng, qin, ji, *rest = rec
        extra = rest[0] if rest else {}
        row = {
            "person_id": pid, "period": extra.get("period", period), "source": source,
            "de": de, "neng": neng, "qin": qin, "ji": ji,
            "max_de": None, "max_neng": None, "max_qin": None, "max_ji": None,
            "grade": None, "section": None,
        }
        row.update(extra)
        row["period_kind"] = sc.period_kind_of(row["period"])
        row["period_end"] = sc.period_end(row["period"])
        out.append(row)
    df = pd.DataFrame(out)
    for c in ["max_de", "max_neng", "max_qin", "max_ji"]:
        df[c] = df[c].astype(float)
    return df


def total_rows(totals, source="实绩考核", period="1999", sections=None, grades=None):
    """One source per person whose default composite equals ``total`` (德能勤绩 shares equal)."""
    recs = []
    for i, (pid, c) in enumerate(totals.items()):
        extra = {"period": period}
        if sections:
            extra["section"] = sections[i] if isinstance(sections, list) else sections
        if grades:
            extra["grade"] = grades.get(pid)
        recs.append((pid, source, 0.2 * c, 0.2 * c, 0.2 * c, 0.4 * c, extra))
    return make_rows(recs, period)


# ---------------------------------------------------------------- periods and weights

def test_period_end():
    assert sc.period_end("1999") == pd.Timestamp("1999-12-31")
    assert sc.period_end("1999Q1") == pd.Timestamp("1999-03-31")
    assert sc.period_end("2000Q2") == pd.Timestamp("2000-06-30")
    assert sc.period_kind_of("1999Q4") == "quarterly"
    assert sc.period_kind_of("1999") == "annual"


def test_normalise_weights():
    assert sc.normalise_weights({"a": 1, "b": 3}) == {"a": 0.25, "b": 0.75}
    with pytest.raises(sc.ScoringError) as e:
        sc.normalise_weights({"a": 0, "b": 0})
    assert e.value.code == "scoring.error.weights_zero"
    with pytest.raises(sc.ScoringError) as e:
        sc.normalise_weights({"a": -1, "b": 3})
    assert e.value.code == "scoring.error.weights_negative"
    with pytest.raises(sc.ScoringError):
        sc.normalise_weights({"a": float("nan")})


def test_error_codes_are_catalogued():
    from cadre import i18n
    codes = ["weights_negative", "weights_zero", "unknown_dimension", "unknown_source",
             "maximum_invalid", "quota_invalid", "no_rows", "one_period", "unknown_grade",
             "bonus_invalid", "samples_invalid"]
    for lang in ("zh", "en"):
        for c in codes:
            assert i18n.t(f"scoring.error.{c}", lang, keys="x", quota=2, count=2, grades="x")


# ---------------------------------------------------------------- composites

def test_composite_default_weights_is_raw_total(settings):
    rows = make_rows([("p1", "实绩考核", 10, 20, 0, 30)])
    df = sc.composites(rows, settings)
    assert df["composite"].iloc[0] == pytest.approx(60.0)


def test_composite_custom_dimension_weights(settings):
    rows = make_rows([("p1", "实绩考核", 10, 20, 0, 30)])
    # equal weights: 0.25 * (10/20 + 20/20 + 0/20 + 30/40) * 100 = 56.25
    df = sc.composites(rows, settings, dimension_weights={"德": 1, "能": 1, "勤": 1, "绩": 1})
    assert df["composite"].iloc[0] == pytest.approx(56.25)
    # weights not summing to 1 are scaled; English keys accepted; missing dimension weighs 0
    df = sc.composites(rows, settings, dimension_weights={"de": 2, "ji": 2})
    assert df["composite"].iloc[0] == pytest.approx(100 * (0.5 * 0.5 + 0.5 * 0.75))


def test_composite_zero_weights_is_an_error(settings):
    rows = make_rows([("p1", "实绩考核", 10, 20, 0, 30)])
    with pytest.raises(sc.ScoringError) as e:
        sc.composites(rows, settings, dimension_weights={"德": 0, "能": 0, "勤": 0, "绩": 0})
    assert e.value.code == "scoring.error.weights_zero"
    with pytest.raises(sc.ScoringError) as e:
        sc.composites(rows, settings, source_weights={s: 0 for s in settings["source_weights"]})
    assert e.value.code == "scoring.error.weights_zero"
    with pytest.raises(sc.ScoringError) as e:
        sc.composites(rows, settings, source_weights={"实绩": 1})
    assert e.value.code == "scoring.error.unknown_source"
    with pytest.raises(sc.ScoringError) as e:
        sc.composites(rows, settings, dimension_weights={"德": 1, "x": 1})
    assert e.value.code == "scoring.error.unknown_dimension"


def test_composite_over_sources_and_missing_source(settings):
    rows = make_rows([
        ("p1", "实绩考核", 18, 18, 18, 36),   # C_s = 90
        ("p1", "民主评议", 16, 16, 16, 32),   # C_s = 80
        ("p2", "实绩考核", 18, 18, 18, 36),
        ("p2", "民主评议", 16, 16, 16, 32),
        ("p2", "主任室考评", 14, 14, 14, 28),  # 70
        ("p2", "科室自评", 20, 20, 20, 40),    # 100
    ])
    df = sc.composites(rows, settings).set_index("person_id")
    # p1 lacks two sources: renormalise over present ones (0.4, 0.2)
    assert df.loc["p1", "composite"] == pytest.approx((0.4 * 90 + 0.2 * 80) / 0.6)
    assert df.loc["p2", "composite"] == pytest.approx(0.4 * 90 + 0.2 * 80 + 0.3 * 70 + 0.1 * 100)
    assert df.loc["p1", "composite_实绩考核"] == pytest.approx(90)
    assert math.isnan(df.loc["p1", "composite_主任室考评"])
    assert df.loc["p1", "n_sources"] == 2
    assert df.loc["p1", "de_pct"] == pytest.approx(100 * (0.4 * 0.9 + 0.2 * 0.8) / 0.6)


def test_dimension_pct_differs_by_dimension(settings):
    rows = make_rows([("p1", "实绩考核", 20, 10, 0, 40), ("p1", "民主评议", 10, 10, 10, 0)])
    df = sc.composites(rows, settings).iloc[0]
    assert df["de_pct"] == pytest.approx(100 * (0.4 * 1.0 + 0.2 * 0.5) / 0.6)
    assert df["qin_pct"] == pytest.approx(100 * (0.2 * 0.5) / 0.6)
    assert df["ji_pct"] == pytest.approx(100 * (0.4 * 1.0) / 0.6)


def test_combined_source_gets_full_weight(settings):
    rows = make_rows([("p1", "综合", 18, 18, 18, 36), ("p2", "综合", 10, 10, 10, 20)])
    df = sc.composites(rows, settings)
    assert list(df["composite"]) == pytest.approx([90.0, 50.0])
    df = sc.composites(rows, settings, source_weights={"实绩考核": 1})
    assert list(df["composite"]) == pytest.approx([90.0, 50.0])


def test_only_source_weighted_zero_falls_back_to_equal_weights(settings):
    rows = make_rows([
        ("p1", "科室自评", 18, 18, 18, 36),
        ("p2", "科室自评", 10, 10, 10, 20), ("p2", "民主评议", 20, 20, 20, 40),
        ("p3", "实绩考核", 10, 10, 10, 20), ("p3", "科室自评", 20, 20, 20, 40),
    ])
    w = {"实绩考核": 0.4, "民主评议": 0, "主任室考评": 0.3, "科室自评": 0}
    df = sc.composites(rows, settings, source_weights=w).set_index("person_id")
    assert df.loc["p1", "composite"] == pytest.approx(90.0)   # fallback: its only source
    assert df.loc["p2", "composite"] == pytest.approx(75.0)   # fallback: equal over both
    assert df.loc["p3", "composite"] == pytest.approx(50.0)   # 实绩考核 only counts
    assert list(df["source_fallback"]) == [True, True, False]


def test_per_person_maxima(settings):
    rows = make_rows([
        ("p1", "实绩考核", 20, 20, 20, 30, {"max_ji": 30.0}),   # items sum to 30 for 绩
        ("p2", "实绩考核", 20, 20, 20, 30),                      # settings maximum 40
        ("p3", "实绩考核", 20, 20, 20, 30, {"max_ji": 0.0}),    # not positive: settings
    ])
    df = sc.composites(rows, settings).set_index("person_id")
    assert df.loc["p1", "composite"] == pytest.approx(100.0)
    assert df.loc["p2", "composite"] == pytest.approx(90.0)
    assert df.loc["p3", "composite"] == pytest.approx(90.0)
    bad = defaults()
    bad["maxima"]["德"] = 0
    with pytest.raises(sc.ScoringError) as e:
        sc.composites(rows, bad)
    assert e.value.code == "scoring.error.maximum_invalid"


def test_section_and_official_grade_first_non_null(settings):
    rows = make_rows([
        ("p1", "实绩考核", 18, 18, 18, 36),
        ("p1", "民主评议", 16, 16, 16, 32, {"section": "秘书一科", "grade": "优秀"}),
        ("p2", "实绩考核", 18, 18, 18, 36, {"section": "信息科"}),
    ])
    df = sc.composites(rows, settings).set_index("person_id")
    assert df.loc["p1", "section"] == "秘书一科"
    assert df.loc["p1", "grade"] == "优秀"
    assert pd.isna(df.loc["p2", "grade"])


def test_composites_many_periods_and_no_rows(settings):
    rows = pd.concat([total_rows({"a": 90, "b": 80}, period="1999"),
                      total_rows({"a": 70}, period="1999Q2")], ignore_index=True)
    df = sc.composites(rows, settings)
    got = {(r.person_id, r.period): r.composite for r in df.itertuples()}
    assert got == pytest.approx({("a", "1999"): 90, ("b", "1999"): 80, ("a", "1999Q2"): 70})
    assert set(df["period_kind"]) == {"annual", "quarterly"}
    with pytest.raises(sc.ScoringError) as e:
        sc.composites(rows.iloc[:0], settings)
    assert e.value.code == "scoring.error.no_rows"


# ---------------------------------------------------------------- ranks

def test_competition_rank_ties():
    assert list(sc.competition_rank([90, 85, 85, 80])) == [1, 2, 2, 4]
    assert list(sc.competition_rank([80, 85, 90, 85])) == [4, 2, 1, 2]
    # equal to 6 decimals -> tie; different at the 6th decimal -> not
    assert list(sc.competition_rank([85.0000001, 85.0])) == [1, 1]
    assert list(sc.competition_rank([85.000001, 85.0])) == [1, 2]
    assert sc.competition_rank([5.0]).tolist() == [1]
    assert sc.competition_rank([]).size == 0


def test_competition_rank_groups_and_nan():
    r = sc.competition_rank([3, 2, 2, 1, 5], groups=["a", "b", "a", "b", "b"])
    assert list(r) == [1, 2, 2, 3, 1]
    r = sc.competition_rank([3, np.nan, 1])
    assert r[0] == 1 and np.isnan(r[1]) and r[2] == 2
    frame = pd.DataFrame({"p": ["x", "x", "y"], "s": ["a", "a", "a"]})
    assert list(sc.competition_rank([1, 2, 3], groups=frame)) == [2, 1, 1]


# ---------------------------------------------------------------- grades

def test_annual_quota_ties_at_boundary_go_to_smaller_id(settings):
    comps = {f"p{i:02d}": 75.0 for i in range(1, 21)}
    comps.update({"p05": 95.0, "p03": 90.0, "p02": 88.0, "p01": 88.0})
    c = pd.Series(list(comps.values()))
    g = sc.computed_grades(c, pd.Series(list(comps)), "annual", settings)  # floor(0.15*20)=3
    grades = dict(zip(comps, g))
    assert [p for p, x in grades.items() if x == "优秀"] == ["p01", "p03", "p05"]
    assert grades["p02"] == "称职"


def test_annual_thresholds_and_top_floor(settings):
    c = pd.Series([90, 84.99, 70, 69.99, 60, 59.9999999, 59.99])
    pid = pd.Series(list("abcdefg"))
    g = sc.computed_grades(c, pid, "annual", settings, quota=0.5)  # floor(3.5)=3 slots
    # b is within the quota but below 85: no 优秀; f rounds to 60.000000
    assert list(g) == ["优秀", "称职", "称职", "基本称职", "基本称职", "基本称职", "不称职"]


def test_quota_zero_one_and_tolerance(settings):
    c = pd.Series([95.0] * 100)
    pid = pd.Series([f"p{i:03d}" for i in range(100)])
    assert (sc.computed_grades(c, pid, "annual", settings, quota=0) == "优秀").sum() == 0
    assert (sc.computed_grades(c, pid, "annual", settings, quota=1) == "优秀").sum() == 100
    assert (sc.computed_grades(c, pid, "annual", settings, quota=0.29) == "优秀").sum() == 29
    with pytest.raises(sc.ScoringError) as e:
        sc.computed_grades(c, pid, "annual", settings, quota=1.5)
    assert e.value.code == "scoring.error.quota_invalid"


def test_one_person_period(settings):
    c, pid = pd.Series([99.0]), pd.Series(["p1"])
    assert list(sc.computed_grades(c, pid, "annual", settings)) == ["称职"]  # floor(0.15)=0
    assert list(sc.computed_grades(c, pid, "annual", settings, quota=1)) == ["优秀"]
    rows = total_rows({"p1": 99.0})
    w = _whatif(rows, settings)
    assert list(w["rank"]) == [1] and list(w["grade"]) == ["称职"]


def test_quarterly_grades_beyond_quota(settings):
    c = pd.Series([99, 98, 97, 96, 95, 85, 80, 79.99, 60, 59])
    pid = pd.Series([f"p{i}" for i in range(10)])
    g = sc.computed_grades(c, pid, "quarterly", settings)  # floor(0.4*10)=4
    assert list(g) == ["好"] * 4 + ["较好"] * 3 + ["一般"] * 2 + ["较差"]


def test_grades_grouped_by_period_match_single_calls(settings):
    c = pd.Series([95, 91, 88, 99, 92, 50])
    pid = pd.Series(["a", "b", "c", "a", "b", "c"])
    kind = np.array(["annual"] * 3 + ["quarterly"] * 3, dtype=object)
    per = pd.Series(["1999"] * 3 + ["1999Q1"] * 3)
    g = sc.computed_grades(c, pid, kind, settings, groups=per, quota=0.4)
    a = sc.computed_grades(c[:3], pid[:3], "annual", settings, quota=0.4)
    q = sc.computed_grades(c[3:].reset_index(drop=True), pid[3:].reset_index(drop=True), "quarterly",
                           settings, quota=0.4)
    assert list(g) == list(a) + list(q) == ["优秀", "称职", "称职", "好", "较好", "较差"]


def test_grade_counts(settings):
    assert sc.grade_counts(["优秀", "称职", "称职", None], "annual") == \
        {"优秀": 1, "称职": 2, "基本称职": 0, "不称职": 0}
    assert list(sc.grade_counts([], "quarterly")) == ["好", "较好", "一般", "较差"]
    with pytest.raises(sc.ScoringError):
        sc.grade_counts(["好"], "annual")


def test_scored_and_summary(settings):
    rows = total_rows({"a": 90, "b": 80, "c": 80, "d": 70}, sections=["x", "x", "y", "y"],
                      grades={"a": "优秀", "b": "称职"})
    df = sc.scored(rows, settings, quota=0.25).set_index("person_id")
    assert df["rank"].to_dict() == {"a": 1, "b": 2, "c": 2, "d": 4}
    assert df["section_rank"].to_dict() == {"a": 1, "b": 2, "c": 1, "d": 2}
    assert df["computed_grade"].to_dict() == {"a": "优秀", "b": "称职", "c": "称职", "d": "称职"}
    s = sc.period_summary(df.reset_index(), "annual")
    assert s["assessed"] == 4 and s["mean"] == pytest.approx(80) and s["median"] == pytest.approx(80)
    assert s["std"] == pytest.approx(math.sqrt(200 / 3))
    assert s["grades"] == {"优秀": 1, "称职": 3, "基本称职": 0, "不称职": 0}
    assert s["official_grades"] == {"优秀": 1, "称职": 1, "基本称职": 0, "不称职": 0}
    rows["grade"] = None
    assert sc.period_summary(sc.scored(rows, settings), "annual")["official_grades"] is None


# ---------------------------------------------------------------- differentiation

def test_differentiation_iqr_and_egalitarian(settings):
    df = pd.DataFrame({
        "section": ["A"] * 4 + ["B"] * 3 + ["C"] * 2 + ["主任室"] * 3,
        "period": "1999",
        "composite": [80, 82, 84, 86, 80, 81, 82, 80, 80.5, 90, 90, 90],
    })
    out = sc.differentiation(df, settings).set_index("section")
    assert list(out.index) == ["A", "B", "C"]  # leadership left out
    a = out.loc["A"]
    assert a["n"] == 4 and a["mean"] == pytest.approx(83) and a["median"] == pytest.approx(83)
    assert a["std"] == pytest.approx(math.sqrt(20 / 3))
    assert a["iqr"] == pytest.approx(84.5 - 81.5)  # linear interpolation
    assert a["range"] == pytest.approx(6)
    assert not a["egalitarian"]
    assert out.loc["B", "std"] == pytest.approx(1.0) and out.loc["B", "egalitarian"]
    assert not out.loc["C", "egalitarian"]  # n = 2 < 3
    with_lead = sc.differentiation(df, settings, include_leadership=True)
    assert "主任室" in set(with_lead["section"])


def test_differentiation_std_exactly_threshold_not_flagged(settings):
    df = pd.DataFrame({"section": "A", "composite": [78.0, 80.0, 82.0]})  # std = 2.0
    assert not sc.differentiation(df, settings)["egalitarian"].iloc[0]


# ---------------------------------------------------------------- turn-taking

def _tt_data():
    frames = []
    # section S: n = 5 a year, quota 0.15 -> ceil(0.75) = 1 in the top
    years = {
        "1997": ({"s1": 95, "s2": 90, "s3": 88, "s4": 85, "s5": 80}, "s1"),  # inside
        "1998": ({"s1": 95, "s2": 90, "s3": 88, "s4": 85, "s5": 80}, "s3"),  # outside
        "1999": ({"s1": 95, "s2": 95, "s3": 88, "s4": 85, "s5": 80}, "s2"),  # tie: s1 is top
    }
    for y, (comps, winner) in years.items():
        frames.append(total_rows(comps, period=y, sections="S", grades={winner: "优秀"}))
        frames.append(total_rows({"t1": 90, "t2": 85, "t3": 80}, period=y, sections="T"))
    frames.append(total_rows({"s1": 50, "s2": 99}, period="1999Q4", sections="S",
                             grades={"s2": "好"}))
    return pd.concat(frames, ignore_index=True)


def test_turn_taking_index_and_flag(settings):
    df = sc.scored(_tt_data(), settings)
    summary, detail = sc.turn_taking(df, settings, "1999")
    s = summary.set_index("section")
    assert s.loc["S", "awards"] == 3 and s.loc["S", "outside"] == 2
    assert s.loc["S", "index"] == pytest.approx(2 / 3)
    assert s.loc["S", "flagged"]
    assert s.loc["T", "awards"] == 0 and np.isnan(s.loc["T", "index"]) and not s.loc["T", "flagged"]
    d = detail[detail["section"] == "S"].set_index(["period", "person_id"])
    assert d.loc[("1999", "s1"), "in_top"] and not d.loc[("1999", "s1"), "awarded"]
    assert not d.loc[("1999", "s2"), "in_top"] and d.loc[("1999", "s2"), "awarded"]
    assert d.loc[("1998", "s3"), "section_rank"] == 3


def test_turn_taking_window(settings):
    df = sc.scored(_tt_data(), settings)
    for upto in ("1998", "1999Q3"):
        s = sc.turn_taking(df, settings, upto)[0].set_index("section")
        assert s.loc["S", "awards"] == 2 and s.loc["S", "index"] == pytest.approx(0.5)
        assert not s.loc["S", "flagged"]  # awards < 3
    empty = sc.turn_taking(df, settings, "1990")
    assert empty[0].empty and empty[1].empty


# ---------------------------------------------------------------- bonus

def test_bonus_shares(settings):
    coef = settings["bonus"]["coefficients"]  # 1.2, 1, 0.5, 0
    grades = ["优秀", "称职", "称职", "基本称职", "不称职", None]
    amounts = sc.bonus_split(grades, coef, 3700.0).amounts
    assert amounts == pytest.approx([1200, 1000, 1000, 500, 0, 0])
    split = sc.bonus_split(grades, coef, 3700.0)
    assert split.total == pytest.approx(3700.0) and not split.unallocated
    zero = sc.bonus_split(["不称职", "不称职"], coef, 1000.0)
    assert zero.unallocated and zero.total == 0 and list(zero.amounts) == [0, 0]
    with pytest.raises(sc.ScoringError):
        sc.bonus_split(["优秀"], {"优秀": -1}, 100)


# ---------------------------------------------------------------- cube, what-if, stability

def _random_rows(n, seed=1, period="1999", missing=0.2):
    rng = np.random.default_rng(seed)
    sources = ["实绩考核", "民主评议", "主任室考评", "科室自评"]
    pid = np.repeat([f"p{i:05d}" for i in range(n)], 4)
    src = np.tile(sources, n)
    keep = rng.random(n * 4) > missing
    keep[::4] = True  # everyone keeps 实绩考核
    maxima = np.array([20, 20, 20, 40.0])
    scores = np.round(rng.uniform(0.5, 1.0, (n * 4, 4)) * maxima, 1)
    df = pd.DataFrame({"person_id": pid, "period": period, "source": src,
                       "de": scores[:, 0], "neng": scores[:, 1], "qin": scores[:, 2], "ji": scores[:, 3],
                       "max_de": np.nan, "max_neng": np.nan, "max_qin": np.nan, "max_ji": np.nan,
                       "grade": None, "section": np.repeat([f"S{i % 7}" for i in range(n)], 4)})
    df["period_kind"] = sc.period_kind_of(period)
    return df[keep].reset_index(drop=True)


@pytest.mark.parametrize("period", ["1999", "1999Q2"])
def test_cube_matches_scored(settings, period):
    rows = _random_rows(300, period=period)
    dw, sw = {"德": 1, "能": 2, "勤": 1, "绩": 3}, {"实绩考核": 1, "民主评议": 1, "主任室考评": 0, "科室自评": 2}
    ref = sc.scored(rows, settings, dw, sw, quota=0.3).sort_values("person_id")
    cube = sc.ScoreCube(rows, settings)
    ev = cube.evaluate(dw, sw, quota=0.3)
    assert list(cube.person_ids) == list(ref["person_id"])
    np.testing.assert_allclose(ev.composite, ref["composite"], rtol=0, atol=1e-9)
    assert list(ev.rank) == list(ref["rank"])
    assert list(ev.grade) == list(ref["computed_grade"])


def test_cube_floors_people_and_errors(settings):
    rows = total_rows({"a": 95, "b": 88, "c": 80, "d": 70})
    cube = sc.ScoreCube(rows, settings)
    assert list(cube.evaluate(quota=0.5).grade) == ["优秀", "优秀", "称职", "称职"]
    assert list(cube.evaluate(quota=0.5, floors={"top_floor": 90}).grade) == ["优秀", "称职", "称职", "称职"]
    small = sc.ScoreCube(rows, settings, people=["c", "d"])
    assert list(small.person_ids) == ["c", "d"] and list(small.evaluate().rank) == [1, 2]
    two = pd.concat([rows, total_rows({"a": 1}, period="2000")], ignore_index=True)
    with pytest.raises(sc.ScoringError) as e:
        sc.ScoreCube(two, settings)
    assert e.value.code == "scoring.error.one_period"
    assert len(sc.ScoreCube(two, settings, period="2000")) == 1
    moved = sc.ScoreCube(rows, settings, sections={"a": "信息科"})
    assert moved.sections[0] == "信息科"


def test_whatif_against_baseline(settings):
    # a: strong 绩, weak 德; b the reverse. Default weights favour a; 德-only favours b.
    rows = make_rows([("a", "实绩考核", 10, 15, 15, 40), ("b", "实绩考核", 20, 15, 15, 30)])
    out = _whatif(rows, settings, dimension_weights={"德": 1, "能": 0, "勤": 0, "绩": 0},
                    quota=1.0).set_index("person_id")
    assert out.loc["a", "baseline_composite"] == pytest.approx(80)
    assert out.loc["b", "baseline_composite"] == pytest.approx(80)
    assert out.loc["a", "composite"] == pytest.approx(50) and out.loc["b", "composite"] == pytest.approx(100)
    assert out.loc["b", "rank"] == 1 and out.loc["a", "rank"] == 2
    assert out.loc["a", "baseline_rank"] == 1 and out.loc["b", "baseline_rank"] == 1
    assert out.loc["b", "grade"] == "优秀" and out.loc["b", "baseline_grade"] == "称职"
    assert out.loc["a", "grade"] == "不称职"  # 50 < 60


def test_stability(settings):
    rows = _random_rows(200, seed=3)
    cube = sc.ScoreCube(rows, settings)
    st0 = sc.stability(cube, spread=0.0, samples=10)
    base = cube.evaluate()
    assert (st0["rank_min"] == base.rank).all() and (st0["rank_max"] == base.rank).all()
    assert ((st0["top_share"] == 1.0) == (base.grade == "优秀")).all()
    st = sc.stability(cube, samples=50, seed=1)
    assert (st["rank_min"] <= st["rank_median"]).all() and (st["rank_median"] <= st["rank_max"]).all()
    assert (st["rank_max"] > st["rank_min"]).any()  # 5-point moves do reorder someone
    assert st["top_share"].between(0, 1).all()
    # the expected number of top grades per sample cannot exceed the quota
    assert st["top_share"].sum() <= math.floor(0.15 * 200) + 1e-9
    again = sc.stability(cube, samples=50, seed=1)
    pd.testing.assert_frame_equal(st, again)
    with pytest.raises(sc.ScoringError):
        sc.stability(cube, samples=0)


def test_stability_identical_people_and_boundary_ties(settings):
    rows = total_rows({f"p{i:02d}": 90.0 for i in range(10)})
    cube = sc.ScoreCube(rows, settings)
    st = sc.stability(cube, samples=40, quota=0.3)
    assert (st["rank_min"] == 1).all() and (st["rank_max"] == 1).all()
    assert list(st["top_share"]) == [1.0] * 3 + [0.0] * 7  # ties go to the smaller ids
