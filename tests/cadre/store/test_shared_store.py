"""The store shared by the app and the command line: commands wait for a
store another process uses, then succeed or exit 3 naming the holder; the
app's handle holds the file only while it works."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time

import pytest

from cadre import batches, store

from .helpers import ROOT, Holder, cadre, wait_for

ROSTER_A = ("编号,姓名,性别,出生日期,学历,科室,职务,职级\n"
            "9001,测试甲,男,1980-01-01,大学本科,信息科,科员,科员\n").encode("utf-8")
ROSTER_B = ("编号,姓名,性别,出生日期,学历,科室,职务,职级\n"
            "9002,测试乙,女,1985-03-01,研究生,信息科,科员,办事员\n").encode("utf-8")


def test_a_command_against_a_held_store_exits_3_naming_the_holder(demo_db):
    with Holder(demo_db) as holder:
        proc = cadre("report", "--period", "1999", "--wait", "0.3", db=demo_db)
        assert proc.returncode == 3
        assert "Traceback" not in proc.stderr
        assert f"PID {holder.proc.pid}" in proc.stderr
        assert "正被另一个程序使用" in proc.stderr
        proc = cadre("structure", "--json", "--lang", "en", "--wait", "0", db=demo_db)
        assert proc.returncode == 3
        answer = json.loads(proc.stdout)
        assert answer["error"]["kind"] == "busy"
        assert "in use by another program" in answer["error"]["message"]


def test_a_command_waits_for_the_store_then_succeeds(demo_db):
    holder = Holder(demo_db)
    cmd = [sys.executable, "-m", "cadre", "structure", "--json", "--wait", "120", "--db", str(demo_db)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    holder.release()
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert json.loads(out)["headcount"] > 0


def test_the_app_handle_lets_go_of_the_file_between_uses(demo_db):
    handle = store.Store(demo_db, wait=5, linger=0.1)
    assert int(store.query(handle, "store_table_counts").iloc[0]["roster"]) > 0
    assert wait_for(lambda: not handle.is_open())
    proc = cadre("structure", "--json", "--wait", "0", db=demo_db)
    assert proc.returncode == 0, proc.stderr
    with handle.hold():  # while the app works, a command with no wait is told who holds it
        proc = cadre("structure", "--wait", "0", db=demo_db)
        assert proc.returncode == 3 and f"PID {os.getpid()}" in proc.stderr
    handle.close()


def test_a_busy_app_still_lets_a_waiting_command_through(demo_db):
    """Users clicking without pause: the handle yields after max_hold."""
    handle = store.Store(demo_db, wait=60, linger=0.2, max_hold=0.3, yield_for=0.3)
    stop = threading.Event()

    def clicking():
        while not stop.is_set():
            store.query(handle, "store_table_counts")

    worker = threading.Thread(target=clicking)
    worker.start()
    try:
        proc = cadre("ingest", "--json", "--wait", "120", str(_write(demo_db.parent, "a.csv", ROSTER_A)),
                     db=demo_db)
    finally:
        stop.set()
        worker.join()
        handle.close()
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["loaded"]["roster"] == 1


def test_a_page_run_holding_the_store_when_a_command_waits_finishes(demo_db):
    """Issue 20, item 7: a page run holds the file for its frame (``hold``)
    and queries inside it. When a command waited for the file and the hold
    had lasted past max_hold, the handle stopped handing out cursors until
    every use ended, including the run's own hold: the run waited for
    itself, for ever, and every other page with it."""
    handle = store.Store(demo_db, wait=60, linger=0.2, max_hold=0.3, yield_for=0.3)
    answers = []

    def page_run():
        with handle.hold():
            assert wait_for(lambda: store.someone_waits(handle.path), timeout=60)
            # past max_hold, with a command waiting
            assert wait_for(lambda: time.monotonic() - handle._opened_at > handle.max_hold, timeout=60)
            answers.append(int(store.query(handle, "store_table_counts").iloc[0]["roster"]))

    run = threading.Thread(target=page_run, daemon=True)
    run.start()
    cmd = [sys.executable, "-m", "cadre", "structure", "--json", "--wait", "120", "--db", str(demo_db)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        run.join(timeout=30)
        assert not run.is_alive(), "the page run waits for its own hold on the store"
        assert answers and answers[0] > 0
        out, err = proc.communicate(timeout=300)   # and the command had its turn after it
        assert proc.returncode == 0, err
    finally:
        proc.kill()
        handle.close()


def _write(folder, name, data):
    path = folder / name
    path.write_bytes(data)
    return path


def test_two_uploads_at_once_both_land_one_after_the_other(demo_db):
    handle = store.Store(demo_db, wait=60)
    start = threading.Barrier(2)
    results, errors = {}, []

    def upload(name, data):
        try:
            start.wait()
            results[name] = batches.ingest(handle, [(name, data)], lang="zh")
        except Exception as exc:  # noqa: BLE001 - the test reports any failure
            errors.append(exc)

    threads = [threading.Thread(target=upload, args=a) for a in (("a.csv", ROSTER_A), ("b.csv", ROSTER_B))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert all(r.ok and r.batch_id for r in results.values())
    ids = set(store.query(handle, "store_roster")["person_id"])
    assert {"9001", "9002"} <= ids
    handle.close()


def test_a_second_upload_that_cannot_wait_is_refused_with_a_message(demo_db):
    handle = store.Store(demo_db, wait=5)
    before = store.query(handle, "store_table_counts").iloc[0].to_dict()
    seen = []
    with batches.writing():
        with pytest.raises(store.StoreBusy) as refused:
            batches.ingest(handle, [("a.csv", ROSTER_A)], wait=0, on_wait=lambda: seen.append(True))
    assert seen == [True]
    assert "另一项上传" in refused.value.message("zh")
    assert "Another upload" in refused.value.message("en")
    assert store.query(handle, "store_table_counts").iloc[0].to_dict() == before
    handle.close()
