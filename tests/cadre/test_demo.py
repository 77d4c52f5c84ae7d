"""The demo office: the seed's 1999 figures under the contract's definitions
(checked by a small independent pandas implementation that reads the written
CSV files back), the texture the demo promises, the file formats and
determinism, and the speed of a city-sized office."""
from __future__ import annotations

import io
import math
import zipfile

import numpy as np
import pandas as pd
import pytest

from cadre import demo

LADDER = ["办事员", "科员", "副股级", "正股级", "副科级", "正科级"]
LEADERSHIP = "主任室"
HEADS = {"科长", "主任"}
MIDDLE = {"科长", "主任", "副科长", "副主任"}
SOURCE_W = {"实绩考核": 0.4, "民主评议": 0.2, "主任室考评": 0.3, "科室自评": 0.1}


# ------------------------------------------------------------------ reading back

def _read(path, encoding):
    """Every cell as text, empty cells as None."""
    df = pd.read_csv(path, encoding=encoding, dtype=str, keep_default_na=False).astype(object)
    return df.where(df != "", None)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    paths = demo.write_files(out)
    return out, paths


@pytest.fixture(scope="module")
def data(files):
    out, _ = files
    roster = _read(out / "roster.csv", "utf-8-sig")
    assess = _read(out / "assessments.csv", "utf-8")
    moves = _read(out / "movements.csv", "gbk")
    moves["seq"] = np.arange(len(moves))
    moves["d"] = pd.to_datetime(moves["日期"])
    for c in ("德", "能", "勤", "绩", "总分"):
        assess[c] = assess[c].astype(float)
    return roster, assess, moves


# ------------------------------------------------------------------ reference definitions

class Ref:
    """The contract's definitions, written plainly for a small office."""

    def __init__(self, roster, moves):
        self.roster = roster.set_index("编号")
        self.moves = moves.sort_values(["d", "seq"])
        self.by_person = {p: g for p, g in self.moves.groupby("编号", sort=False)}
        self.latest = self.moves["d"].max()

    def field_at(self, pid, day, to_col, from_col, roster_col):
        g = self.by_person.get(pid)
        if g is not None:
            before = g[(g["d"] <= day) & g[to_col].notna()]
            if len(before):
                return before[to_col].iloc[-1]
            after = g[(g["d"] > day) & g[from_col].notna()]
            if len(after):
                return after[from_col].iloc[0]
        return self.roster.loc[pid, roster_col]

    def state(self, pid, day):
        return (self.field_at(pid, day, "新科室", "原科室", "科室"),
                self.field_at(pid, day, "新职务", "原职务", "职务"),
                self.field_at(pid, day, "新职级", "原职级", "职级"))

    def in_office(self, pid, day):
        g = self.by_person.get(pid)
        if g is not None:
            if ((g["类型"].isin(["调出", "退休"])) & (g["d"] <= day)).any():
                return False
            first = g.iloc[0]
            if first["类型"] in ("录用", "调入") and first["d"] > day:
                return False
            if g["类型"].isin(["调出", "退休"]).any():
                return True
        if self.roster.loc[pid, "状态"] not in (None, "在职"):
            return day < self.latest
        return True

    def heads(self, day):
        """{section: head person_id} and the set of sections with anyone in office."""
        cands, sections = {}, set()
        for pid in self.roster.index:
            if not self.in_office(pid, day):
                continue
            sec, pos, _ = self.state(pid, day)
            if sec == LEADERSHIP:
                continue
            sections.add(sec)
            if pos in HEADS:
                g = self.by_person.get(pid)
                into = None
                if g is not None:
                    m = g[(g["d"] <= day) & (g["新职务"] == pos) & (g["新科室"] == sec)]
                    into = m["d"].max() if len(m) else None
                since = into if into is not None else pd.Timestamp(self.roster.loc[pid, "任现岗位时间"])
                cands.setdefault(sec, []).append((since, pid))
        return {s: max(v)[1] for s, v in cands.items()}, sections

    def year_figures(self, year):
        ym = self.moves[self.moves["d"].dt.year == year]
        rank_i = {r: i for i, r in enumerate(LADDER)}
        promo = ym[ym["原职级"].isin(LADDER) & ym["新职级"].isin(LADDER)]
        promo = promo[promo["新职级"].map(rank_i) > promo["原职级"].map(rank_i)]
        by_rank = promo["新职级"].value_counts().to_dict()
        end_prev = pd.Timestamp(f"{year - 1}-12-31")
        end = pd.Timestamp(f"{year}-12-31")
        h0, _ = self.heads(end_prev)
        h1, sections = self.heads(end)
        changed = sum(1 for s in sections if h1.get(s) != h0.get(s))
        new_middle = 0
        for _, m in ym.iterrows():
            to_sec = m["新科室"] or self.state(m["编号"], m["d"])[0]
            if m["新职务"] not in MIDDLE or to_sec == LEADERSHIP:
                continue
            g = self.by_person[m["编号"]]
            first = g.iloc[0]
            if first["seq"] == m["seq"] and m["类型"] in ("录用", "调入"):
                new_middle += 1          # came from outside
                continue
            before = m["d"] - pd.Timedelta(days=1)
            sec, pos, _ = self.state(m["编号"], before)
            sec = m["原科室"] or sec
            pos = m["原职务"] or pos
            if not (pos in MIDDLE and sec != LEADERSHIP):
                new_middle += 1
        return {"promotions": len(promo), "by_rank": by_rank,
                "transferred_out_promoted": int((promo["类型"] == "调出").sum()),
                "sections": len(sections), "sections_head_changed": changed,
                "new_middle_cadres": new_middle}


def _composites(assess):
    a = assess.copy()
    a["w"] = a["考核主体"].map(SOURCE_W)
    a["wt"] = a["w"] * a["总分"]
    g = a.groupby(["考核期", "编号"]).agg(wt=("wt", "sum"), w=("w", "sum"), sec=("科室", "first"),
                                          grade=("等次", "first"))
    g["c"] = (g["wt"] / g["w"]).round(6)
    return g.reset_index()


# ------------------------------------------------------------------ the seed's 1999

def test_seed_1999_figures(data):
    roster, _, moves = data
    f = Ref(roster, moves).year_figures(1999)
    assert f["by_rank"].get("副科级", 0) + f["by_rank"].get("正科级", 0) == 5
    assert f["transferred_out_promoted"] == 3
    assert f["sections"] == 8
    assert f["sections_head_changed"] == 8
    assert f["new_middle_cadres"] == 16


def test_other_years_are_not_a_copy_of_1999(data):
    roster, _, moves = data
    f = Ref(roster, moves).year_figures(2000)
    assert f["sections"] == 8
    assert f["sections_head_changed"] < 8 and f["new_middle_cadres"] < 16


# ------------------------------------------------------------------ consistency

def test_movements_follow_each_persons_previous_state(data):
    roster, _, moves = data
    ref = Ref(roster, moves)
    checked = 0
    for pid, g in ref.by_person.items():
        prev = None
        for _, m in g.iterrows():
            if prev is not None:
                for to_c, from_c in (("新科室", "原科室"), ("新职务", "原职务"), ("新职级", "原职级")):
                    if m[from_c] is not None and prev[to_c] is not None:
                        assert m[from_c] == prev[to_c], (pid, m["日期"], from_c)
                        checked += 1
            prev = m
        # the roster shows the state after the last movement
        last = g.iloc[-1]
        for to_c, col in (("新科室", "科室"), ("新职务", "职务"), ("新职级", "职级")):
            if last[to_c] is not None:
                assert roster.set_index("编号").loc[pid, col] == last[to_c]
        if last["类型"] in ("调出", "退休"):
            assert roster.set_index("编号").loc[pid, "状态"] == last["类型"]
    assert checked > 50
    assert set(moves["编号"]) <= set(roster["编号"])
    assert roster["编号"].is_unique


def test_assessment_rows_valid(data):
    roster, assess, moves = data
    assert list(assess.columns) == demo.ASSESSMENT_COLUMNS
    assert (assess[["德", "能", "勤"]] <= 20).all().all() and (assess["绩"] <= 40).all()
    assert (assess[["德", "能", "勤", "绩"]] >= 0).all().all()
    assert np.allclose(assess[["德", "能", "勤", "绩"]].sum(axis=1), assess["总分"], atol=0.011)
    assert set(assess["考核期"]) == {f"{y}{q}" for y in range(1997, 2002) for q in ("", "Q1", "Q2", "Q3", "Q4")}
    # the grade is the same on all of a person's rows for a period
    assert (assess.groupby(["考核期", "编号"])["等次"].nunique() <= 1).all()
    annual = assess[~assess["考核期"].str.contains("Q")]
    assert set(annual["等次"]) <= {"优秀", "称职", "基本称职", "不称职"}
    # assessed people are in office at the period's end, in the section given
    ref = Ref(roster, moves)
    c = _composites(assess)
    sample = c[c["考核期"].isin(["1998", "1999Q2", "2001"])]
    for _, r in sample.iterrows():
        p = r["考核期"]
        day = pd.Timestamp(f"{p[:4]}-12-31") if "Q" not in p else \
            pd.Timestamp(f"{p[:4]}-{3 * int(p[-1]):02d}-01") + pd.offsets.MonthEnd(0)
        assert ref.in_office(r["编号"], day)
        assert ref.state(r["编号"], day)[0] == r["sec"]


# ------------------------------------------------------------------ texture

def _section_std(c):
    return c[c["sec"] != LEADERSHIP].groupby(["考核期", "sec"])["c"].agg(["std", "size"]).reset_index()


def test_one_egalitarian_section(data):
    _, assess, _ = data
    s = _section_std(_composites(assess))
    s = s[s["size"] >= 3]
    egal = s[s["sec"] == demo.EGALITARIAN_SECTION]
    assert len(egal) == 25 and (egal["std"] < 2.0).all()
    others = s[s["sec"] != demo.EGALITARIAN_SECTION]
    assert (others["std"] >= 2.0).all()
    annual_others = others[~others["考核期"].str.contains("Q")]
    assert annual_others["std"].min() > 2.5


def test_one_turn_taking_section(data):
    _, assess, _ = data
    c = _composites(assess)
    annual = c[~c["考核期"].str.contains("Q") & (c["sec"] != LEADERSHIP)]
    result = {}
    for sec, g in annual.groupby("sec"):
        awards = outside = 0
        for _, gy in g.groupby("考核期"):
            gy = gy.sort_values(["c", "编号"], ascending=[False, True])
            top = set(gy["编号"].iloc[: math.ceil(0.15 * len(gy))])
            won = gy[gy["grade"] == "优秀"]
            awards += len(won)
            outside += int((~won["编号"].isin(top)).sum())
        result[sec] = (awards, outside / awards if awards else None)
    flagged = {s for s, (n, share) in result.items() if n >= 3 and share is not None and share >= 0.5}
    assert flagged == {demo.TURN_TAKING_SECTION}
    # elsewhere 优秀 goes to the section's top scorers
    for s, (n, share) in result.items():
        if s != demo.TURN_TAKING_SECTION and n:
            assert share == 0
    # about 15 % of the office is 优秀 each year
    per_year = c[~c["考核期"].str.contains("Q")].groupby("考核期")["grade"].apply(lambda g: (g == "优秀").mean())
    assert per_year.between(0.09, 0.2).all()


def test_self_evaluation_above_director_office(data):
    _, assess, _ = data
    means = assess.groupby("考核主体")["总分"].mean()
    assert 0.5 < means["科室自评"] - means["主任室考评"] < 5


def _in_office_people(ref, roster, day):
    ids = [p for p in roster["编号"] if ref.in_office(p, day)]
    return roster.set_index("编号").loc[ids]


def test_office_grows_younger_and_better_educated(data):
    roster, _, moves = data
    ref = Ref(roster, moves)
    out = {}
    for y in (1999, 2001):
        day = pd.Timestamp(f"{y}-12-31")
        people = _in_office_people(ref, roster, day)
        birth = pd.to_datetime(people["出生日期"])
        age = y - birth.dt.year          # all birthdays have passed on 31 December
        out[y] = (age.mean(), people["学历"].isin(["大学本科", "研究生"]).mean())
    assert out[2001][0] < out[1999][0]
    assert out[2001][1] > out[1999][1]


def test_headcount_and_sections(data):
    roster, _, moves = data
    ref = Ref(roster, moves)
    for y in range(1997, 2002):
        people = _in_office_people(ref, roster, pd.Timestamp(f"{y}-12-31"))
        assert 60 <= len(people) <= 75, y
    now = _in_office_people(ref, roster, pd.Timestamp("2001-12-31"))
    assert set(now["科室"]) == set(demo.BASE_SECTIONS) | {LEADERSHIP}
    lead = now[now["科室"] == LEADERSHIP]
    assert (lead["职务"] == "主任").sum() == 1 and (lead["职务"] == "副主任").sum() >= 2


def test_a_few_sit_in_one_post_for_six_years(data):
    roster, _, moves = data
    latest = moves["d"].max()
    assert latest <= pd.Timestamp("2001-12-31")
    stuck = roster[(pd.to_datetime(roster["任现岗位时间"]) <= pd.Timestamp("2001-12-31") - pd.DateOffset(years=6))
                   & ~roster["编号"].isin(moves["编号"]) & (roster["状态"] == "在职")]
    assert 3 <= len(stuck) <= 6


# ------------------------------------------------------------------ files

def test_files_encodings_and_workbook(files):
    out, paths = files
    assert sorted(p.name for p in paths) == sorted(["cadre_demo.xlsx", "roster.csv", "assessments.csv",
                                                   "movements.csv"])
    assert (out / "roster.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    raw = (out / "movements.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert raw.decode("gbk").startswith("编号,日期,类型")
    assert not (out / "assessments.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    from openpyxl import load_workbook
    wb = load_workbook(out / "cadre_demo.xlsx", read_only=True)
    assert wb.sheetnames == ["人员名册", "考核成绩", "任免记录"]
    ws = wb["任免记录"]
    header = [c.value for c in next(ws.iter_rows(max_row=1))]
    assert header == demo.MOVEMENT_COLUMNS
    rows = list(wb["人员名册"].iter_rows(values_only=True))
    assert len(rows) == len(pd.read_csv(out / "roster.csv", encoding="utf-8-sig")) + 1
    first = dict(zip(rows[0], rows[1]))
    assert hasattr(first["出生日期"], "year") and isinstance(first["编号"], str)
    periods = {r[1] for r in wb["考核成绩"].iter_rows(min_row=2, values_only=True)}
    assert "1999" in periods and "1999Q3" in periods      # text, not numbers
    wb.close()


def test_files_are_deterministic(files, tmp_path):
    out, _ = files
    again = demo.write_files(tmp_path)
    for p in again:
        assert p.read_bytes() == (out / p.name).read_bytes(), p.name
    with zipfile.ZipFile(io.BytesIO((out / "cadre_demo.xlsx").read_bytes())) as z:
        core = z.read("docProps/core.xml").decode()
    assert "2002-01-01T00:00:00Z" in core


def test_committed_demo_matches_generator():
    committed = demo.Path(__file__).resolve().parents[2] / "data" / "demo"
    tables = demo.generate()
    for key, (name, enc, newline) in demo.CSV_FILES.items():
        assert (committed / name).read_bytes() == demo._to_csv_bytes(tables[key], enc, newline), name


def test_dataframes_in_upload_format():
    t = demo.generate()
    assert list(t["roster"].columns) == demo.ROSTER_COLUMNS
    assert list(t["movements"].columns) == demo.MOVEMENT_COLUMNS
    assert t["roster"]["出生日期"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    assert t["movements"]["日期"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    other = demo.generate(seed=7)
    assert not other["assessments"].equals(t["assessments"])


# ------------------------------------------------------------------ other sizes

def test_larger_office_keeps_texture():
    t = demo.generate(people=400, years=6)
    roster, assess, moves = t["roster"], t["assessments"], t["movements"]
    assert set(assess["考核期"].str[:4].astype(int)) == set(range(1996, 2002))
    c = _composites(assess)
    s = _section_std(c)
    s = s[s["size"] >= 3]
    assert (s.loc[s["sec"] == demo.EGALITARIAN_SECTION, "std"] < 2).all()
    assert (s.loc[s["sec"] != demo.EGALITARIAN_SECTION, "std"] >= 2).all()
    assert roster["编号"].is_unique and set(moves["编号"]) <= set(roster["编号"])
    for df in t.values():     # all text GBK-encodable (movements.csv is written in GBK)
        df.to_csv(index=False).encode("gbk")


def test_city_sized_office():
    # its speed is measured in bench/ (bench_pages.py builds the city), never asserted here
    t = demo.generate(people=10000, years=10)
    in_office = (t["roster"]["状态"] == "在职").sum()
    assert 9000 < in_office < 12500
    assert t["assessments"]["考核期"].nunique() == 50
