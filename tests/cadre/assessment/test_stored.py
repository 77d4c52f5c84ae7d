"""cadre.assessment.stored: the scores kept in the store equal scoring.scored
(the definition, through score_periods) on the demo and on a generated
office, and stay equal through an upload, an undo, an appraisal-style
re-landing of rows and a settings change; the Scorer reads them and scores
only for settings they are not of."""
from __future__ import annotations

import io
from contextlib import closing

import pandas as pd
import pytest

from cadre import batches, scoring, store
from cadre.assessment import stored
from cadre.assessment.runner import list_periods
from cadre.assessment.scorer import Scorer, score_periods
from tests.cadre.assessment.helpers import count_scored, frame_equal
from tests.generated import generated_files


def assert_stored_equal_scored(con, settings: dict | None = None) -> None:
    """The stored scores are those of the settings in force and equal
    scoring every period from the rows."""
    settings = store.get_settings(con) if settings is None else settings
    assert stored.current(con, settings)
    periods = list_periods(con)["period"].tolist()
    frame_equal(stored.read(con, periods), score_periods(con, settings, periods))
    assert store.query(con, "store_get_meta", key="scores_key")["value"].tolist() == [stored.scores_key(settings)]


def test_the_demo_store_holds_its_scores(demo_con):
    assert_stored_equal_scored(demo_con)
    n = demo_con.execute("select count(*) from scores").fetchone()[0]
    assert n == int(list_periods(demo_con)["assessed"].sum()) > 0


def test_a_generated_office_holds_its_scores_in_groups_of_periods(tmp_path, monkeypatch):
    # several groups of periods (the bounded-memory path), same result as one
    monkeypatch.setattr(stored, "CHUNK", 150)
    files = generated_files(tmp_path / "files", people=120, years=3, seed=7)
    with closing(store.connect(tmp_path / "gen.duckdb")) as con:
        assert batches.ingest(con, files).ok
        assert len(stored._chunks(list_periods(con))) > 1
        assert_stored_equal_scored(con)


def test_a_period_larger_than_a_group_is_scored_in_slices_of_people(tmp_path, monkeypatch):
    # a province's period exceeds CHUNK: its rows are read a slice of people
    # at a time and ranked whole; the result is scoring.scored's, exactly
    monkeypatch.setattr(stored, "CHUNK", 25)
    files = generated_files(tmp_path / "files", people=120, years=2, seed=11)
    with closing(store.connect(tmp_path / "gen.duckdb")) as con:
        assert batches.ingest(con, files).ok
        periods = list_periods(con)
        assert (periods["assessed"] > stored.CHUNK).all()
        slices = store.execute(con, "scores_person_bounds", period=str(periods["period"].iloc[-1]), size=25)
        assert len(slices.fetchall()) == -(-int(periods["assessed"].iloc[-1]) // 25) > 1
        assert_stored_equal_scored(con)
        names = periods["period"].tolist()
        pd.testing.assert_frame_equal(stored.read(con, names).reset_index(drop=True),
                                      score_periods(con, store.get_settings(con), names).reset_index(drop=True),
                                      check_exact=True)


def test_an_upload_an_undo_and_a_relanding_keep_them_equal(small):
    before = stored.read(small, list_periods(small)["period"].tolist())
    # an upload restating 1999 with other points
    rows = [{"person_id": p, "period": "1999", "de": 10.0 + i, "neng": 12.0, "qin": 15.0, "ji": 20.0 + 2 * i}
            for i, p in enumerate(["A1", "A2", "A3", "B1", "B2", "B3", "B4", "L1"])]
    buf = io.StringIO()
    pd.DataFrame(rows).to_csv(buf, index=False)
    assert batches.ingest(small, [("assessments.csv", buf.getvalue().encode("utf-8"))]).ok
    assert_stored_equal_scored(small)
    after = stored.read(small, ["1999"])
    assert not after["composite"].equals(before[before["period"] == "1999"]["composite"].reset_index(drop=True))
    assert batches.undo_last(small) is not None
    assert_stored_equal_scored(small)
    frame_equal(stored.read(small, list_periods(small)["period"].tolist()), before)
    # landing rows as the appraisal meeting's close does (here with changed points)
    staged = small.execute("select * exclude (batch_id) from assessments where period = '1998'").df()
    staged["ji"] = staged["ji"] / 2
    batches.land_assessments(small, staged, "test", "0" * 64)
    assert_stored_equal_scored(small)


@pytest.mark.parametrize("graded", ["科室自评", "主任室考评"])
def test_the_official_grade_is_found_whatever_the_rows_order(small, graded):
    # the rows are scored unordered: a person-period's official grade on
    # only one of its sources' rows (the first in source order, or the last;
    # an upload refuses two different grades) is still the person's grade
    rows = []
    for i, p in enumerate(["A1", "A2", "A3", "B1", "B2", "B3", "B4", "L1"]):
        for source in ("科室自评", "主任室考评"):   # file order: the reverse of source order
            rows.append({"person_id": p, "period": "1999", "source": source, "de": 10.0 + i, "neng": 12.0,
                         "qin": 15.0, "ji": 20.0 + 2 * i, "grade": "优秀" if (p, source) == ("A1", graded) else None})
    buf = io.StringIO()
    pd.DataFrame(rows).to_csv(buf, index=False)
    result = batches.ingest(small, [("assessments.csv", buf.getvalue().encode("utf-8"))])
    assert result.ok, [p.as_dict("en")["message"] for p in result.upload.problems]
    assert_stored_equal_scored(small)
    # (the earlier batch's combined rows say 称职: the first in source order wins, as unsorted as sorted)
    assert stored.read(small, ["1999"]).set_index("person_id").loc["A1", "grade"] == "优秀"
    # the rows the scores are written from, in either order, score the same
    rows = stored._rows(small, ["1999"])
    keys = ["period", "person_id", "source"]
    settings = store.get_settings(small)
    frame_equal(scoring.scored(rows.sort_values(keys).reset_index(drop=True), settings),
                scoring.scored(rows.sort_values(keys, ascending=False).reset_index(drop=True), settings))


def test_a_settings_change_rewrites_them_and_other_settings_do_not(small):
    old = store.get_settings(small)
    key = stored.scores_key(old)
    assert not stored.save_settings(small, {"undo_depth": 5})  # shapes no score
    assert stored.scores_key(store.get_settings(small)) == key
    weights = {"德": 0.1, "能": 0.3, "勤": 0.1, "绩": 0.5}
    seen = []
    assert stored.save_settings(small, {"dimension_weights": weights}, progress=seen.append)
    new = store.get_settings(small)
    assert new["dimension_weights"] == weights and stored.scores_key(new) != key
    assert seen and seen[-1] == 1.0
    assert_stored_equal_scored(small)
    grades = {**old["annual_grades"], "quota": 0.5}
    assert stored.save_settings(small, {"annual_grades": grades})
    assert_stored_equal_scored(small)


def test_a_failed_settings_save_keeps_settings_and_scores(small, monkeypatch):
    key = stored.stored_key(small)

    def broken(*args, **kwargs):
        raise RuntimeError("scoring failed")
    monkeypatch.setattr(scoring, "scored", broken)
    with pytest.raises(RuntimeError):
        stored.save_settings(small, {"maxima": {"德": 10.0, "能": 20.0, "勤": 20.0, "绩": 40.0}})
    assert store.get_settings(small)["maxima"]["德"] == 20.0
    assert stored.stored_key(small) == key


def test_the_scorer_reads_stored_scores_and_scores_only_other_settings(small, monkeypatch):
    calls = count_scored(monkeypatch)
    settings = store.get_settings(small)
    periods = list_periods(small)["period"].tolist()
    got = Scorer(small, settings).frames(periods)
    assert calls == [] and len(got) == 8 * len(periods)
    other = {**settings, "dimension_weights": {"德": 0.25, "能": 0.25, "勤": 0.25, "绩": 0.25}}
    Scorer(small, other).frames(periods)  # e.g. the what-if lab's weights: scored in memory
    assert calls == [1]
    assert Scorer(small, settings).frames(["2099"]).empty


def test_a_store_without_scores_of_its_settings_is_scored(small, monkeypatch):
    small.execute("delete from meta where key = 'scores_key'")  # e.g. a store just upgraded
    calls = count_scored(monkeypatch)
    assert not stored.current(small, store.get_settings(small))
    Scorer(small, store.get_settings(small)).frames(["1999"])
    assert calls == [1]
    stored.rebuild(small, store.get_settings(small))
    assert_stored_equal_scored(small)


def test_an_upgraded_store_gets_its_scores_when_the_command_line_opens_it(demo_db):
    from tests.cadre.test_cli import cadre
    with closing(store.connect(demo_db)) as con:
        con.execute("delete from scores")
        con.execute("delete from meta where key = 'scores_key'")  # as a store upgraded from schema 5 or earlier
    cadre("--json", "report", "--period", "1999", db=demo_db)
    with closing(store.connect(demo_db)) as con:
        assert_stored_equal_scored(con)


def test_ensure_writes_only_what_is_missing(small, monkeypatch):
    assert not stored.ensure(small)  # the upload wrote them
    small.execute("delete from meta where key = 'scores_key'")
    assert stored.ensure(small)
    assert_stored_equal_scored(small)


WINDOW_COUNTS = """
select s.person_id, r.name, s.* exclude (person_id),
       count(s.composite) over (partition by s.period) as n_office,
       count(s.composite) over (partition by s.period, s.section) as n_section
from scores s left join roster r on r.person_id = s.person_id
where list_contains($periods, s.period)
order by person_id, period
"""


def test_the_counts_read_with_the_scores_are_those_of_window_counts(demo_db):
    """scores_rows counts who was ranked with each person by a grouping
    joined back (faster at a province): the same as counting over window
    partitions, also where a section or a composite is missing."""
    import duckdb
    with closing(duckdb.connect(str(demo_db))) as con:
        con.execute("update scores set section = null where person_id in "
                    "(select distinct person_id from scores order by person_id limit 3)")
        con.execute("update scores set composite = null where person_id in "
                    "(select distinct person_id from scores order by person_id desc limit 2)")
        periods = [r[0] for r in con.sql("select distinct period from scores order by period").fetchall()]
        want = con.sql(WINDOW_COUNTS, params={"periods": periods}).df()
        got = con.sql(store.sql_text("scores_rows"), params={"periods": periods}).df()
    assert want["section"].isna().sum() > 0 and want["composite"].isna().sum() > 0
    pd.testing.assert_frame_equal(got, want, check_dtype=True)
