"""Every hostile file through the command line, in a process whose address
space is capped at 1 GB (``prlimit --as``): each is refused with exit status
1 and its message, never a traceback or a MemoryError, and the store is
unchanged but for the audit log's one line on the refused upload. (Cases that lower a reader's limit for the test are left out: a
limit cannot be lowered from the command line.)

The cap is on address space, which counts reservations never touched: glibc
reserves 64 MB per thread arena and Arrow's allocator large regions, so an
idle cadre process reserves 1.5-2 GB while using 180 MB. The child runs with
glibc's single arena and Arrow's system allocator (MALLOC_ARENA_MAX=1,
ARROW_DEFAULT_MEMORY_POOL=system; 480 MB of address space at rest), so the
cap measures what a file makes the process allocate."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from cadre import store

from .conftest import snapshot
from .test_hostile_files import CASES

AS_LIMIT = 1024 * 1024 * 1024
PRLIMIT = shutil.which("prlimit")
CHILD_ENV = {**os.environ, "MALLOC_ARENA_MAX": "1", "ARROW_DEFAULT_MEMORY_POOL": "system"}
CLI_CASES = sorted(n for n, c in CASES.items() if not c.limits)


def test_most_cases_run_through_the_command_line():
    assert len(CLI_CASES) >= len(CASES) - 3


@pytest.mark.skipif(PRLIMIT is None, reason="prlimit (util-linux) is not installed")
@pytest.mark.parametrize("name", CLI_CASES)
def test_a_hostile_file_through_the_cli_under_1_gb(name, office_db, tmp_path):
    case = CASES[name]
    folder = tmp_path / "in"
    folder.mkdir()
    paths = []
    for i, (fname, data) in enumerate(case.files):
        sub = folder / str(i)  # one folder a file: two cases' files may share a name
        sub.mkdir()
        (sub / fname).write_bytes(data)
        paths.append(str(sub / fname))
    con = store.connect(office_db)
    before = snapshot(con)
    con.close()
    proc = subprocess.run([PRLIMIT, f"--as={AS_LIMIT}", sys.executable, "-m", "cadre", "ingest", *paths,
                           "--db", str(office_db), "--json"], cwd=store.ROOT, capture_output=True,
                          text=True, timeout=600, env=CHILD_ENV)
    assert "Traceback" not in proc.stderr and "MemoryError" not in proc.stderr + proc.stdout, proc.stderr[-3000:]
    assert proc.returncode == 1, (proc.returncode, proc.stdout[-1000:], proc.stderr[-1000:])
    errors = json.loads(proc.stdout)["errors"]
    shown = [e for e in errors if case.words in e["message"]
             and e["file"] == (case.file or case.files[0][0])]
    assert shown, [e["message"] for e in errors]
    con = store.connect(office_db)
    try:
        after = snapshot(con)
    finally:
        con.close()
    assert after.pop("audit")[0] == before.pop("audit")[0] + 1  # the refusal is recorded
    assert after == before, "a rejected upload changed the store"
