"""Column mapping of a foreign export: proposal, value maps, the saved
mapping that maps the next upload by itself, and the CLI's --mapping."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


from cadre import batches, intake, store
from cadre.ingest import mapping as M
from cadre.ingest.mapping import Mapping

ROOT = Path(__file__).resolve().parents[3]

HEADERS = ["人员代码", "名", "性别代码", "生日", "文化", "部门名称", "级别名称", "备用字段"]


def foreign_csv(rows) -> bytes:
    """An HR system's export: a title row, its own headers and codes, GBK."""
    lines = ["某县人事信息系统导出,,,,,,,", ",".join(HEADERS)]
    lines += [",".join(r) for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode("gbk")


FIRST = [["A01", "周一", "1", "1970-05-01", "大学", "综合科", "正科", "x"],
         ["A02", "吴二", "2", "1985-10-01", "大专", "秘书科", "科员", "y"]]
SECOND = [["A03", "郑三", "2", "1990-01-01", "研究", "综合科", "副科", ""]]


def the_mapping() -> Mapping:
    raw, h = M.needs_mapping("hr.csv", foreign_csv(FIRST))
    m = M.propose(raw.head[h])
    return m, raw, h


def test_proposal_by_aliases_then_similarity():
    m, raw, h = the_mapping()
    assert h == 1 and m.dataset == "roster" and m.form == "wide"
    assert m.mapping == {"人员代码": "person_id", "名": "name", "性别代码": "gender", "生日": "birth_date",
                         "文化": "education", "部门名称": "section", "级别名称": "rank", "备用字段": ""}
    assert M.missing_required(m) == []
    m.mapping["生日"] = ""
    assert M.missing_required(m) == ["birth_date"]
    m.mapping["生日"] = "birth_date"
    body, _rows = raw.load_body(h)
    from cadre import settings as S
    unknown = M.unknown_values(body, m, raw.head[h], S.defaults())
    assert unknown == {"gender": ["1", "2"], "education": ["大学"], "rank": ["正科"]}


def test_mapped_export_loads_and_the_next_one_maps_itself(demo_con):
    m, _raw, _h = the_mapping()
    m.mapping["生日"] = "birth_date"
    m.value_maps = {"gender": {"1": "男", "2": "女"}, "education": {"大学": "大学本科", "研究": "研究生"},
                    "rank": {"正科": "正科级", "副科": "副科级"}}
    first = batches.ingest(demo_con, [("hr.csv", foreign_csv(FIRST))])
    assert not first.ok
    assert [p.code for p in first.upload.problems] == ["unrecognised"]
    intake.save_mapping(demo_con, m)
    first = batches.ingest(demo_con, [("hr.csv", foreign_csv(FIRST))])
    assert first.ok, [p.message() for p in first.upload.problems]
    assert first.loaded["roster"] == 2
    assert any(n.code == "mapped" for n in first.upload.notes)
    second = batches.ingest(demo_con, [("hr-2.csv", foreign_csv(SECOND))])
    assert second.ok, [p.message() for p in second.upload.problems]
    roster = store.query(demo_con, "store_roster").set_index("person_id")
    got = roster.loc[["A01", "A02", "A03"], ["name", "gender", "birth_date", "education", "section", "rank"]]
    assert got.astype(str).values.tolist() == [
        ["周一", "男", "1970-05-01", "大学本科", "综合科", "正科级"],
        ["吴二", "女", "1985-10-01", "大学专科", "秘书科", "科员"],
        ["郑三", "女", "1990-01-01", "研究生", "综合科", "副科级"]]


def test_a_mapped_cell_that_is_still_wrong_names_the_excel_row(demo_con):
    m, _raw, _h = the_mapping()
    m.mapping["生日"] = "birth_date"
    m.value_maps = {"gender": {"1": "男", "2": "女"}}
    intake.save_mapping(demo_con, m)
    res = batches.ingest(demo_con, [("hr.csv", foreign_csv(FIRST))])
    bad = [(p.file, p.row, p.column, p.value) for p in res.upload.problems]
    assert ("hr.csv", 3, "学历", "大学") in bad and ("hr.csv", 3, "职级", "正科") in bad


def test_cli_mapping_file(tmp_path):
    m, _raw, _h = the_mapping()
    m.mapping["生日"] = "birth_date"
    m.value_maps = {"gender": {"1": "男", "2": "女"}, "education": {"大学": "大学本科"}, "rank": {"正科": "正科级"}}
    spec = tmp_path / "hr.json"
    spec.write_text(json.dumps({k: v for k, v in m.as_json().items() if k != "signature"}, ensure_ascii=False),
                    encoding="utf-8")
    (tmp_path / "hr.csv").write_bytes(foreign_csv(FIRST))
    db = tmp_path / "s.duckdb"
    run = lambda *a: subprocess.run([sys.executable, "-m", "cadre", "ingest", *a, "--db", str(db), "--json"],  # noqa: E731
                                    cwd=ROOT, capture_output=True, text=True, timeout=300)
    out = run(str(tmp_path / "hr.csv"))
    assert out.returncode == 1
    out = run(str(tmp_path / "hr.csv"), "--mapping", str(spec))
    assert out.returncode == 0, out.stdout + out.stderr
    assert json.loads(out.stdout)["loaded"]["roster"] == 2
    spec.write_text("{not json", encoding="utf-8")
    out = run(str(tmp_path / "hr.csv"), "--mapping", str(spec))
    assert out.returncode == 2 and "hr.json" in out.stderr


def test_each_file_of_an_upload_is_read_once(demo_con, monkeypatch):
    # the mapping check and the validation share each file's sheets: a
    # city's assessments were decoded and scanned twice
    from cadre import store as St
    from cadre.ingest import readers
    reads = []
    real = readers.read_file

    def counting(name, data):
        reads.append(name)
        return real(name, data)
    monkeypatch.setattr(readers, "read_file", counting)
    roster = "person_id,name,gender,birth_date,education,section,rank\nZ1,甲,男,1980-01-01,大学本科,综合科,科员\n"
    files = [("hr.csv", foreign_csv(FIRST)), ("roster.csv", roster.encode("utf-8"))]
    up = intake.read(demo_con, St.get_settings(demo_con), files, store_roster=St.query(demo_con, "store_roster"))
    assert sorted(reads) == ["hr.csv", "roster.csv"]
    assert [p.code for p in up.problems] == ["unrecognised"] and len(up.roster) == 1
