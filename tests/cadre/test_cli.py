"""python -m cadre: exit codes, JSON output, and the seed's 1999 figures
through the whole chain demo -> ingest -> movements."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def cadre(*args, db=None, check=True):
    cmd = [sys.executable, "-m", "cadre", *args]
    if db is not None:
        cmd += ["--db", str(db)]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


@pytest.fixture(scope="module")
def demo_chain(tmp_path_factory):
    """The contract's chain: demo --out D && ingest --db X D/*.csv."""
    base = tmp_path_factory.mktemp("chain")
    out, db = base / "D", base / "X.duckdb"
    cadre("demo", "--out", str(out))
    csvs = sorted(str(p) for p in out.glob("*.csv"))
    assert len(csvs) == 3
    loaded = json.loads(cadre("ingest", *csvs, "--json", db=db).stdout)
    assert loaded["batch_id"] == 1 and loaded["loaded"]["roster"] > 0
    return db


def test_the_seed_1999_figures(demo_chain):
    figures = json.loads(cadre("movements", "--year", "1999", "--json", db=demo_chain).stdout)
    by_rank = figures["promotions_by_to_rank"]
    assert by_rank.get("副科级", 0) + by_rank.get("正科级", 0) == 5
    assert figures["transferred_out_promoted"] == 3
    assert figures["sections"] == 8
    assert figures["sections_head_changed"] == 8
    assert figures["new_middle_cadres"] == 16
    for key in ("year", "promotions", "rotations", "hires", "exits"):
        assert key in figures
    assert all(isinstance(v, int) for k, v in figures.items() if k != "promotions_by_to_rank")


def test_structure_json_has_the_contract_keys(demo_chain):
    figures = json.loads(cadre("structure", "--json", db=demo_chain).stdout)
    assert {"date", "headcount", "mean_age", "by_age_band", "by_education", "by_rank", "by_gender",
            "middle_cadres"} <= figures.keys()
    assert list(figures["by_age_band"]) == ["<=30", "31-35", "36-40", "41-45", "46-50", "51-55", "56+"]
    assert sum(figures["by_age_band"].values()) == figures["headcount"]
    assert figures["date"] == "2001-12-31"  # the data's latest date, never the clock


def test_readable_output_is_a_table_not_json(demo_chain):
    text = cadre("movements", "--year", "1999", db=demo_chain).stdout
    assert "提拔" in text and not text.lstrip().startswith("{")
    english = cadre("movements", "--year", "1999", "--lang", "en", db=demo_chain).stdout
    assert "Promotions" in english


@pytest.mark.parametrize("args", [
    ("report",),                                   # --period missing
    ("report", "--period", "not-a-period"),
    ("structure", "--date", "1999-02-30"),
    ("whatif", "--period", "1999", "--weights", "德=0,能=0,勤=0,绩=0"),
    ("whatif", "--period", "1999", "--weights", "智=1"),
    ("ingest", "no-such-file.csv"),
    ("pack", "--period", "1999", "--out", "x.docx"),
    ("frobnicate",),
])
def test_wrong_usage_exits_2(demo_chain, args):
    proc = cadre(*args, db=demo_chain, check=False)
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert proc.stdout == ""
    assert proc.stderr.strip()


def test_a_new_store_opens_on_the_demo(tmp_path):
    db = tmp_path / "fresh.duckdb"
    figures = json.loads(cadre("movements", "--year", "1999", "--json", db=db).stdout)
    assert figures["new_middle_cadres"] == 16


def test_cadre_db_environment_variable_is_the_default_store(tmp_path):
    db = tmp_path / "env.duckdb"
    env = {"CADRE_DB": str(db)}
    import os
    proc = subprocess.run([sys.executable, "-m", "cadre", "structure", "--json"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, env={**os.environ, **env})
    assert proc.returncode == 0, proc.stderr
    assert db.exists()


def test_a_header_only_roster_is_refused_as_empty_and_nothing_recorded(demo_db, tmp_path):
    from cadre import batches, store
    head = "编号,姓名,性别,出生日期,学历,科室,职务,职级\n"
    empty = tmp_path / "header_only.csv"
    empty.write_text(head, encoding="utf-8")
    con = store.connect(demo_db)
    before = batches.history(con)["batch_id"].tolist()
    con.close()
    proc = cadre("ingest", str(empty), db=demo_db, check=False)
    assert proc.returncode == 1, proc.stderr
    assert "[header_only.csv] 表格只有表头，没有数据行" in proc.stderr and "数据库未作任何改动" in proc.stderr
    proc = cadre("ingest", str(empty), "--json", "--lang", "en", db=demo_db, check=False)
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["errors"] == [{"file": "header_only.csv", "sheet": None, "row": None,
                                                  "column": None, "value": None,
                                                  "message": "The table has a header but no data rows"}]
    con = store.connect(demo_db)
    assert batches.history(con)["batch_id"].tolist() == before  # no empty batch
    con.close()
    # beside a file with rows, a header-only table is a note, and the rows land
    full = tmp_path / "r.csv"
    full.write_text(head + "9001,甲,男,1980-01-01,大学本科,信息科,科员,科员\n", encoding="utf-8")
    answer = json.loads(cadre("ingest", str(empty), str(full), "--json", db=demo_db).stdout)
    assert answer["loaded"]["roster"] == 1
    assert [n["message"] for n in answer["notes"]] == ["表格只有表头，没有数据行"]


@pytest.mark.parametrize("kind,words,english", [
    ("folder", "是文件夹，不是文件", "is a folder, not a file"),
    ("fifo", "不是普通文件", "is not a regular file")])
@pytest.mark.parametrize("command", ["ingest", "restore", "mapping"])
def test_a_folder_or_fifo_is_named_for_what_it_is(tmp_path, kind, words, english, command):
    import os
    target = tmp_path / ("名册" if kind == "folder" else "名册.csv")
    if kind == "folder":
        target.mkdir()
    else:
        os.mkfifo(target)  # read, it would wait for a writer forever
    roster = tmp_path / "r.csv"
    roster.write_text("编号,姓名,性别,出生日期,学历,科室,职务,职级\n9001,甲,男,1980-01-01,大学本科,信息科,科员,科员\n",
                      encoding="utf-8")
    args = {"ingest": ["ingest", str(target)], "restore": ["restore", str(target)],
            "mapping": ["ingest", str(roster), "--mapping", str(target)]}[command]
    db = tmp_path / "x.duckdb"
    for lang, said in (("zh", words), ("en", english)):
        proc = subprocess.run([sys.executable, "-m", "cadre", *args, "--db", str(db), "--lang", lang], cwd=ROOT,
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 2, proc.stderr
        assert said in proc.stderr and str(target) in proc.stderr, proc.stderr
        assert "找不到文件" not in proc.stderr and "No such file" not in proc.stderr
        assert "Traceback" not in proc.stderr
    assert not db.exists()  # refused before the store was opened
