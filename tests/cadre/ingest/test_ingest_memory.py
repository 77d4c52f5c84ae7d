"""Issue 17.2: an upload is validated in bounded memory. A generated
office's roster, assessments and movements (CSV, as offices send them) are read in a
child process; the child's peak resident memory (VmHWM) grows by no more
than a small multiple of the files' size. Reading the whole file as one
frame of strings, as cadre did before, grew by about 10 times the size."""
from __future__ import annotations

import json
import subprocess
import sys

from cadre import store
from cadre.demo import generate

# The child's growth while reading, at most this many times the files' size
# plus a fixed allowance (one chunk of rows in flight, pandas' first
# allocations). Measured on these 25.7 MB: 155 MB after issue 17, 262 MB
# before (the bound is 223 MB).
TIMES_SIZE = 4
ALLOWANCE_MB = 120

CHILD = """
import json, sys, time
def hwm_kb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
from cadre.ingest import read_upload
files = [(p.rsplit("/", 1)[-1], open(p, "rb").read()) for p in sys.argv[1:]]
before = hwm_kb()
upload = read_upload(files)
peak = hwm_kb()
print(json.dumps({"problems": [p.as_dict("en") for p in upload.problems[:5]], "rows": upload.rows(),
                  "grown_mb": (peak - before) / 1024}))
"""


def test_reading_an_upload_grows_memory_by_a_small_multiple_of_its_size(tmp_path):
    tables = generate(people=3000, years=5)
    paths = []
    for name, encoding in (("roster", "utf-8-sig"), ("assessments", "utf-8"), ("movements", "gbk")):
        path = tmp_path / f"{name}.csv"  # encodings as offices send them (GBK decoded in pieces)
        tables[name].to_csv(path, index=False, encoding=encoding)
        paths.append(path)
    size_mb = sum(p.stat().st_size for p in paths) / 1024 / 1024
    assert size_mb > 20  # large enough that the fixed allowance does not hide the growth
    proc = subprocess.run([sys.executable, "-c", CHILD, *map(str, paths)], cwd=store.ROOT,
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-2000:]
    got = json.loads(proc.stdout)
    assert got["problems"] == []
    assert got["rows"]["assessments"] == len(tables["assessments"])
    assert got["grown_mb"] < TIMES_SIZE * size_mb + ALLOWANCE_MB, (got["grown_mb"], size_mb)
