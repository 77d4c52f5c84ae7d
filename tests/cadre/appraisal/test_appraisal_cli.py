"""python -m cadre appraisal: start, move, commend, show --json, close,
export, with the exit codes of the contract."""
from __future__ import annotations

import json
import shutil
import subprocess

from openpyxl import load_workbook

from tests.cadre.test_cli import cadre


def test_the_meeting_from_a_shell(demo_db, tmp_path):
    db = demo_db
    started = json.loads(cadre("appraisal", "start", "--period", "2001", "--json", db=db).stdout)
    assert started["status"] == "open"
    moved = json.loads(cadre("appraisal", "move", "--period", "2001", "--person", "YZ0064", "--to", "优秀",
                             "--reason", "全年表现突出", "--json", db=db).stdout)
    assert (moved["from"], moved["to"], moved["breaks_quota"]) == ("称职", "优秀", False)
    no_reason = cadre("appraisal", "move", "--period", "2001", "--person", "YZ0041", "--to", "称职",
                      "--reason", " ", db=db, check=False)
    assert no_reason.returncode == 1 and "理由" in no_reason.stderr
    bad = cadre("appraisal", "move", "--period", "2001", "--person", "YZ0041", "--to", "良好", "--reason", "r",
                "--json", db=db, check=False)
    assert bad.returncode == 1 and json.loads(bad.stdout)["errors"][0]["key"] == "appraisal.err.bad_grade"
    assert cadre("appraisal", "move", "--period", "2001", "--person", "YZ0041", db=db, check=False).returncode == 2
    assert cadre("appraisal", "show", "--period", "1980", db=db, check=False).returncode == 2
    cadre("appraisal", "commend", "--period", "2001", "--section", "法制科", "--on", "--reason", "全年无差错", db=db)
    cadre("appraisal", "commend", "--period", "2001", "--person", "YZ0015", "--off", "--reason", "本人谦让", db=db)

    shown = json.loads(cadre("appraisal", "show", "--period", "2001", "--json", db=db).stdout)
    assert {"people", "moves", "quota", "warnings", "commendations"} <= shown.keys()
    person = next(p for p in shown["people"] if p["person_id"] == "YZ0064")
    assert {"person_id", "name", "section", "composite", "rank", "computed_grade", "grade"} <= person.keys()
    assert person["grade"] == "优秀" and person["rank"] == 1
    assert shown["moves"] == [{"person_id": "YZ0064", "from": "称职", "to": "优秀", "reason": "全年表现突出",
                               "user": shown["moves"][0]["user"], "time": shown["moves"][0]["time"],
                               "breaks_quota": False, "below_floor": False}]
    assert shown["quota"]["limit"] == 10 and shown["quota"]["top"] == 10
    assert [w["person_id"] for w in shown["warnings"]["turn_taking"]] == ["YZ0041"]
    sections = {s["section"]: s for s in shown["commendations"]["sections"]}
    assert sections["法制科"]["commended"] and sections["法制科"]["tick"] == "on"
    individuals = {p["person_id"]: p for p in shown["commendations"]["individuals"]}
    assert individuals["YZ0015"]["candidate"] and not individuals["YZ0015"]["commended"]

    closed = json.loads(cadre("appraisal", "close", "--period", "2001", "--notice-from", "2002-01-10",
                              "--json", db=db).stdout)
    report = json.loads(cadre("report", "--period", "2001", "--json", db=db).stdout)
    assert report["official_grades"]["优秀"] == 10
    assert closed["batch_id"] == 2

    xlsx = tmp_path / "notice.xlsx"
    cadre("appraisal", "export", "--period", "2001", "--what", "notice", "--out", str(xlsx), db=db)
    text = " ".join(str(c.value) for row in load_workbook(xlsx).active.iter_rows() for c in row if c.value)
    assert person["name"] in text and "2002年1月16日" in text
    record = tmp_path / "record.xlsx"
    cadre("appraisal", "export", "--period", "2001", "--what", "record", "--out", str(record), db=db)
    rows = list(load_workbook(record)["会议记录"].iter_rows(values_only=True))
    assert len(rows) == 1 + 3 and rows[1][9] == "全年表现突出"
    wrong = cadre("appraisal", "export", "--period", "2001", "--what", "record", "--out", str(tmp_path / "r.pdf"),
                  db=db, check=False)
    assert wrong.returncode == 2
    if shutil.which("pdftotext"):
        pdf = tmp_path / "notice.pdf"
        cadre("appraisal", "export", "--period", "2001", "--what", "notice", "--out", str(pdf), "--mask", db=db)
        out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
        assert person["name"] not in out and person["name"][0] + "*" in out


def test_close_and_exports_from_a_shell_write_one_audit_entry_each(demo_db, tmp_path):
    """Issue 20.3: the close (official grades change) and each export (names
    leave the store) add exactly one entry, with the shell's user; the
    record names that user as people read it (命令行（account）)."""
    import getpass

    from cadre import audit, store

    def log():
        con = store.connect(demo_db, read_only=True)
        try:
            return audit.entries(con)
        finally:
            con.close()

    cadre("appraisal", "start", "--period", "2001", db=demo_db)
    cadre("appraisal", "move", "--period", "2001", "--person", "YZ0064", "--to", "优秀", "--reason", "r", db=demo_db)
    n = len(log())
    cadre("appraisal", "close", "--period", "2001", "--notice-from", "2002-01-10", db=demo_db)
    after = log()
    assert len(after) == n + 1
    assert (after.iloc[0]["kind"], after.iloc[0]["user_name"]) == ("appraisal_close", f"cli:{getpass.getuser()}")
    assert json.loads(after.iloc[0]["detail"]) == {"period": "2001", "batch": 2, "moves": 1}
    record = tmp_path / "record.xlsx"
    cadre("appraisal", "export", "--period", "2001", "--what", "record", "--out", str(record), db=demo_db)
    after = log()
    assert len(after) == n + 2 and after.iloc[0]["kind"] == "export"
    assert json.loads(after.iloc[0]["detail"]) == {"file": "record.xlsx", "period": "2001", "what": "record",
                                                   "masked": False}
    cadre("appraisal", "export", "--period", "2001", "--what", "notice", "--out", str(tmp_path / "n.xlsx"),
          "--mask", db=demo_db)
    assert len(log()) == n + 3
    rows = list(load_workbook(record)["会议记录"].iter_rows(values_only=True))
    assert rows[1][2] == f"命令行（{getpass.getuser()}）"
