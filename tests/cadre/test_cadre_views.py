"""Page-facing shaping of the structure and pipeline figures (cadre.cadre_views)
and the settings form's model and validation (cadre.settings_form), on the
demo office."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from cadre import cadre_views, cli, cli_text, settings_form, store, timeline
from cadre import settings as settings_mod


# ---------------------------------------------------------------- dates

def test_dates_default_to_the_data_not_the_clock(demo_con):
    options = cadre_views.date_options(demo_con)
    ref = timeline.reference_date(demo_con)
    assert options[0] == ref and ref.year < dt.date.today().year
    assert options[1:] == sorted(options[1:], reverse=True)
    assert all(d.month == 12 and d.day == 31 and d < ref for d in options[1:])
    years, default = cadre_views.span_options(demo_con)
    assert dt.date(default, 12, 31) <= ref and dt.date(default + 1, 12, 31) > ref
    assert cadre_views.span_dates(2001, 1999) == (dt.date(1999, 1, 1), dt.date(2001, 12, 31))


# ---------------------------------------------------------------- structure

def test_scoped_structure_agrees_with_the_office_figures(demo_con):
    office = cadre_views.structure_tables(demo_con, store.get_settings(demo_con))
    head = office["headline"].iloc[0]
    by_section = office["by_section"].set_index("section")
    assert head["headcount"] == office["age_gender"]["n"].sum() == by_section["headcount"].sum()
    section = by_section.index[-1]
    one = cadre_views.structure_tables(demo_con, store.get_settings(demo_con), None, section)
    assert one["headline"]["headcount"].iloc[0] == by_section.loc[section, "headcount"]
    assert one["age_rank"]["n"].sum() == by_section.loc[section, "headcount"]
    middle = cadre_views.structure_tables(demo_con, store.get_settings(demo_con), None, None, middle_only=True)
    assert middle["headline"]["headcount"].iloc[0] == head["middle_count"] == len(office["middle_cadres"])
    assert middle["headline"]["middle_under_40_share"].iloc[0] == pytest.approx(head["middle_under_40_share"])


def test_the_demo_office_grows_younger_and_better_educated_after_1999(demo_con):
    trend = cadre_views.structure_trend(demo_con, store.get_settings(demo_con)).set_index("year")
    assert trend.loc[2001, "mean_age"] < trend.loc[1998, "mean_age"] - 2
    assert trend.loc[2001, "share_under_35"] > trend.loc[1998, "share_under_35"]
    assert trend.loc[2001, "bachelor_plus_share"] > trend.loc[1998, "bachelor_plus_share"] + 0.1
    assert trend["target_bachelor_plus_share"].eq(0.60).all()
    gap = cadre_views.target_gap(trend.reset_index(), "bachelor_plus_share")
    assert gap == pytest.approx(trend.loc[2001, "bachelor_plus_share"] - 0.60)
    assert cadre_views.target_gap(trend.reset_index(), "mean_age") is None


def test_section_trends_add_up_to_the_office(demo_con):
    office = cadre_views.structure_trend(demo_con, store.get_settings(demo_con)).set_index("year")
    sections = cadre_views.structure_tables(demo_con, store.get_settings(demo_con))["by_section"]["section"]
    total = sum(cadre_views.structure_trend(demo_con, store.get_settings(demo_con), s).set_index("year")["headcount"] for s in sections)
    # people in office at a year end who sit in a section not there at the reference date are the only gap
    assert (total <= office["headcount"]).all() and total.loc[2001] == office.loc[2001, "headcount"]


def test_echelon_gaps_name_ranks_without_a_younger_tier():
    frame = pd.DataFrame({
        "band": ["<=30", "<=30", "41-45", "41-45", "56+", "56+"],
        "band_order": [1, 1, 4, 4, 7, 7],
        "rank": ["科员", "正科级", "科员", "正科级", "科员", "正科级"],
        "step": [2, 6, 2, 6, 2, 6],
        "n": [3, 0, 1, 2, 0, 1],
    })
    assert cadre_views.echelon_gaps(frame, settings_mod.DEFAULTS["ladder"]) == ["正科级"]


# ---------------------------------------------------------------- eligibility

def test_vformat_matches_str_format():
    a = pd.Series([1.5, 2.0, None])
    b = pd.Series(["x", "y", "z"])
    got = cadre_views.vformat("have {a} of {b}!", a=a.map(str, na_action="ignore"), b=b)
    assert got.tolist() == ["have 1.5 of x!", "have 2.0 of y!", "have — of z!"]


def test_each_blocking_rule_is_spelt_out(demo_con):
    elig = cadre_views.eligibility_table(demo_con, store.get_settings(demo_con), lang="zh")
    eligible = elig[elig["eligible"]]
    blocked = elig[~elig["eligible"] & elig["next_rank"].notna()]
    assert len(eligible) and len(blocked)
    assert (eligible["blocking_text"] == "").all()
    parts = blocked["blocking_text"].str.split("；").map(len)
    assert (parts == blocked["blocking"].map(len)).all()
    years_blocked = blocked[blocked["blocking"].map(lambda b: "min_years_in_rank" in b)]
    assert years_blocked["blocking_text"].str.contains("任现职级").all()
    top = elig[elig["next_rank"].isna()]
    assert (top["blocking_text"] == "已在职级阶梯最高一级").all()
    en = cadre_views.eligibility_table(demo_con, store.get_settings(demo_con), lang="en")
    assert en["blocking_text"].str.contains("years in rank, needs").any()


def test_a_looser_rule_makes_more_people_eligible(demo_con):
    before = cadre_views.eligibility_table(demo_con, store.get_settings(demo_con))
    rules = store.get_settings(demo_con)["promotion_rules"]
    loose = {rank: {**r, "min_excellent": 0, "education_floor": "高中及以下"} for rank, r in rules.items()}
    store.put_settings(demo_con, {"promotion_rules": loose})
    after = cadre_views.eligibility_table(demo_con, store.get_settings(demo_con))
    assert after["eligible"].sum() > before["eligible"].sum()
    assert not after["blocking"].map(lambda b: "education_floor" in b or "min_excellent" in b).any()


def test_pipeline_by_step_counts(demo_con):
    elig = cadre_views.eligibility_table(demo_con, store.get_settings(demo_con))
    ladder = store.get_settings(demo_con)["ladder"]
    steps = cadre_views.pipeline_by_step(elig, ladder)
    assert steps["next_rank"].tolist() == ladder[1:]
    assert steps["candidates"].sum() == elig["next_rank"].notna().sum()
    assert steps["eligible"].sum() == elig["eligible"].sum()
    assert (steps["reserve_eligible"] <= steps["reserve"]).all()
    shown = cadre_views.eligibility_filter(elig, "blocked")
    assert len(shown) + len(cadre_views.eligibility_filter(elig, "eligible")) == elig["next_rank"].notna().sum()


# ---------------------------------------------------------------- other views

def test_rotation_due_names_the_people_six_years_in_one_post(demo_con):
    due = timeline.rotation_due(demo_con, store.get_settings(demo_con))
    long = due[due["years_in_post"] >= 6]
    assert len(long) >= 2
    shown = cadre_views.rotation_display(cadre_views.scoped(due, long["section"].iloc[0]))
    assert set(shown["section"]) == {long["section"].iloc[0]}


def test_exchange_pivot_is_square_and_keeps_every_move(demo_con):
    ex = timeline.exchange_matrix(demo_con, store.get_settings(demo_con), dt.date(1999, 1, 1), dt.date(2001, 12, 31))
    pivot = cadre_views.exchange_pivot(ex, ["秘书一科"])
    assert list(pivot.index) == list(pivot.columns) and pivot.index[0] == "秘书一科"
    assert pivot.values.sum() == ex["n"].sum() > 0
    assert all(pivot.loc[s, s] == 0 for s in pivot.index)


def test_movement_summary_is_what_the_cli_prints(demo_db, capsys):
    assert cli.main(["movements", "--year", "1999", "--db", str(demo_db)]) == 0
    printed = capsys.readouterr().out.rstrip("\n").split("\n")
    con = store.connect(demo_db)
    try:
        lines = cli_text.movement_lines(timeline.movements_summary(con, store.get_settings(con), 1999), "zh")
    finally:
        con.close()
    assert lines == printed
    assert any("16" in line for line in lines)  # the seed's 16 new middle cadres


def test_masked_names():
    names = pd.Series(["张三", "欧阳小明"])
    assert cadre_views.masked_names(names, True).tolist() == ["张*", "欧**明"]
    assert cadre_views.masked_names(names, False).tolist() == ["张三", "欧阳小明"]


# ---------------------------------------------------------------- settings form

def test_the_defaults_are_valid_and_round_trip():
    d = settings_mod.defaults()
    assert settings_form.validate(d, d) == []
    frame = settings_form.rules_frame(d["promotion_rules"], d["ladder"])
    assert settings_form.rules_from_frame(frame) == d["promotion_rules"]
    m = settings_form.mapping_frame(d["maxima"], settings_mod.DIMENSIONS)
    assert settings_form.mapping_from_frame(m, settings_mod.DIMENSIONS) == d["maxima"]
    lst = settings_form.list_frame(d["ladder"])
    assert settings_form.list_from_frame(pd.concat([lst, pd.DataFrame({"value": ["  ", None]})])) == d["ladder"]
    assert set(settings_form.defaults_for("cadres")) == {"rotation_years", "retirement_age", "structure_targets",
                                                          "talent_cut_points"}


@pytest.mark.parametrize("values, key", [
    ({"ladder": []}, "settings_page.err.list_empty"),
    ({"ladder": ["科员", "科员", "副科级"]}, "settings_page.err.list_duplicate"),
    ({"leadership_section": "  "}, "settings_page.err.text_empty"),
    ({"dimension_weights": {"德": -1, "能": 1, "勤": 1, "绩": 1}}, "settings_page.err.negative"),
    ({"source_weights": {"实绩考核": 0, "民主评议": 0, "主任室考评": 0, "科室自评": 0}}, "settings_page.err.sum_zero"),
    ({"maxima": {"德": 0, "能": 20, "勤": 20, "绩": 40}}, "settings_page.err.positive"),
    ({"annual_grades": {"quota": 1.5, "top_floor": 85, "basic_floor": 60, "competent_floor": 70}}, "settings_page.err.range"),
    ({"annual_grades": {"quota": 0.15, "top_floor": 65, "basic_floor": 60, "competent_floor": 70}}, "settings_page.err.floors_order"),
    ({"retirement_age": {"男": 60, "女": 45}}, "settings_page.err.range"),
    ({"structure_targets": {"middle_under_40_share": 30, "bachelor_or_above_share": 0.6}}, "settings_page.err.range"),
    ({"head_posts": ["科长", "副科长"]}, "settings_page.err.posts_overlap"),
    ({"promotion_rules": {"处级": {"min_years_in_rank": 1, "min_years_service": 1, "grade_years": 3,
                                 "no_basic_in_years": True, "min_excellent": 0, "education_floor": "中专"}}},
     "settings_page.err.rules_orphaned"),
    ({"promotion_rules": {"科员": {"min_years_in_rank": 1, "min_years_service": 1, "grade_years": 2,
                                 "no_basic_in_years": True, "min_excellent": 3, "education_floor": "中专"}}},
     "settings_page.err.range"),
    ({"bonus": {"pool": -5, "coefficients": {"优秀": 1.2}}}, "settings_page.err.range"),
    ({"talent_cut_points": {"low": 0.8, "high": 0.5}}, "settings_page.err.cut_points_order"),
    ({"talent_cut_points": {"low": 0.3, "high": 1.2}}, "settings_page.err.range"),
])
def test_validation_names_each_problem(values, key):
    d = settings_mod.defaults()
    problems = settings_form.validate(values, d)
    assert key in [p[0] for p in problems]
    for problem in problems:  # every message renders in both languages
        assert settings_form.describe(problem, "zh") and settings_form.describe(problem, "en")


def test_a_new_ladder_takes_its_rules_with_it():
    d = settings_mod.defaults()
    ladder = ["科员", "副股级", "正股级", "副科级", "正科级", "副处级"]
    saved = settings_form.prepare({"ladder": ladder}, d)
    assert list(saved["promotion_rules"]) == ["副股级", "正股级", "副科级", "正科级"]
    assert settings_form.validate(saved, d) == []
    assert settings_form.prepare({"ladder": d["ladder"]}, d) == {"ladder": d["ladder"]}
    assert settings_form.field_label("annual_grades.quota", "zh") == "优秀比例（0–1）"
    assert settings_form.field_label("副科级.min_excellent", "en") == "Deputy section chief · Min. excellent grades"


# ---------------------------------------------------------------- the exchange matrix at a city's scale

def _exchange(n_sections: int) -> pd.DataFrame:
    """A ring of moves: section i sends i + 1 people to section i + 1."""
    names = [f"科室{i:04d}" for i in range(n_sections)]
    return pd.DataFrame({"from_section": names, "to_section": names[1:] + names[:1],
                         "n": list(range(1, n_sections + 1))})


def test_exchange_pivot_keeps_the_busiest_sections_and_sums_the_rest():
    ex = _exchange(1249)
    pivot = cadre_views.exchange_pivot(ex, [f"科室{i:04d}" for i in range(1249)] + ["无交流科室"])
    top = cadre_views.EXCHANGE_TOP
    assert pivot.shape == (top + 1, top + 1)
    assert list(pivot.index) == list(pivot.columns) and pivot.index[-1] == cadre_views.OTHER_SECTIONS
    # volume = people out + in: the last sections of the ring, in the office's order
    assert list(pivot.index[:-1]) == [f"科室{i:04d}" for i in range(1249 - top, 1249)]
    assert "无交流科室" not in pivot.index  # exchanged nobody
    assert pivot.values.sum() == ex["n"].sum()  # every move is still counted
    assert pivot.attrs == {"shown": top, "others": 1249 - top,
                           "other_moves": int(ex["n"].sum() - pivot.iloc[:-1, :-1].values.sum())}
    assert pivot.loc["科室1247", "科室1248"] == 1248
    assert pivot.loc[cadre_views.OTHER_SECTIONS, "科室1229"] == 1229  # 科室1228 → 科室1229
    assert pivot.loc["科室1248", cadre_views.OTHER_SECTIONS] == 1249  # the ring closes on 科室0000
    uncapped = cadre_views.exchange_pivot(ex, top=None)
    assert uncapped.shape == (1249, 1249) and uncapped.attrs["others"] == 0


def test_exchange_pivot_small_office_and_nobody_moved():
    ex = _exchange(5)
    pivot = cadre_views.exchange_pivot(ex, ["科室0003"])
    assert list(pivot.index) == ["科室0003", "科室0000", "科室0001", "科室0002", "科室0004"]
    assert pivot.attrs["others"] == 0 and cadre_views.OTHER_SECTIONS not in pivot.index
    assert cadre_views.exchange_pivot(ex.iloc[:0]).empty
    assert cadre_views.exchange_pivot(ex.assign(n=0)).empty


def test_exchange_chart_labels_the_other_row_and_writes_only_nonzero_cells():
    from cadre.charts import structure as charts
    pivot = cadre_views.exchange_pivot(_exchange(40), top=5)
    fig = charts.exchange(pivot, "zh", projector=True)
    heat = fig.data[0]
    assert heat.x[-1] == heat.y[-1] == "其他 35 个科室"
    assert len(heat.x) == 6 and heat.z.shape == (6, 6)
    text = [[str(v) for v in row] for row in heat.text]
    assert all((t == "") == (z == 0) for row_t, row_z in zip(text, heat.z) for t, z in zip(row_t, row_z))
    assert charts.exchange(pivot, "en").data[0].x[-1] == "Other 35 sections"


def test_pyramid_writes_nothing_on_an_empty_band():
    from cadre.charts import structure as charts
    frame = pd.DataFrame({"band": ["<=30", "<=30", "31-35", "31-35", "56+", "56+"],
                          "gender": ["男", "女"] * 3, "n": [3, 2, 0, 0, 1, 0]})
    fig = charts.pyramid(frame, "zh", projector=True)
    men, women = fig.data
    assert list(men.y) == ["<=30", "31-35", "56+"]
    assert list(men.text) == ["3", None, "1"] and list(women.text) == ["2", None, None]
    assert list(men.x) == [-3, None, -1] and list(women.x) == [2, None, None]
    assert "nan" not in fig.to_json().lower()


def test_style_uses_the_registered_templates():
    import plotly.graph_objects as go
    import plotly.io as pio

    from cadre.charts import style
    assert {"cadre", "cadre_projector"} <= set(pio.templates)
    fig = style(go.Figure(go.Bar(x=[1], y=[1])), projector=True, title="标题", x_title="x", y_title="y")
    tl = fig.layout.template.layout
    assert fig.layout.template == pio.templates["cadre_projector"]
    assert tl.font.size == 20 and tl.xaxis.tickfont.size == 18 and tl.legend.font.size == 18
    assert tl.xaxis.tickfont.color == tl.yaxis.title.font.color == "#000"  # black ink
    assert fig.layout.title.font.size == 26 and fig.layout.margin.t == 26 * 2 + 40
    assert tl.legend.orientation == "h" and tl.legend.yanchor == "bottom"  # below the title
    screen = style(go.Figure(), projector=False)
    assert screen.layout.template.layout.font.size == 15 and screen.layout.margin.t == 40
    assert screen.layout.template.layout.paper_bgcolor == pio.templates["plotly_white"].layout.paper_bgcolor
    screen.layout.template.layout.font.size = 99  # a figure's template is its own copy
    assert pio.templates["cadre"].layout.font.size == 15
