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


def test_the_checked_chunks_are_stacked_a_column_at_a_time():
    """upload._stack joins the chunks of a dataset column by column and
    drops each column from the chunks once joined, into a frame it does not
    consolidate: one column is held twice at a time, not the whole dataset
    (a city's 2 million rows, 170 MB more at the peak before). The result is
    what concatenating the chunks gave: values, order, dtypes, categories."""
    import pandas as pd

    from cadre.ingest import upload as U

    def chunk(start: int, sources: list, grades: list) -> pd.DataFrame:
        n = len(sources)
        return pd.DataFrame({
            "source": pd.Categorical(sources), "de": [float(start + i) for i in range(n)],
            "period_end": pd.to_datetime(["1999-12-31"] * n), "_row": pd.array(range(start, start + n), "int32"),
            "grade": pd.Categorical(grades), "ji": [40.0 - i for i in range(n)]})

    parts = [chunk(2, ["实绩考核", "民主评议"], ["优秀", None]), chunk(4, ["科室自评"], ["称职"]),
             chunk(5, ["主任室考评", "实绩考核"], [None, "基本称职"])]
    given = list(parts)
    out = U._stack(parts)
    assert parts == [] and all(len(p.columns) == 0 for p in given)
    assert list(out.columns) == ["de", "period_end", "_row", "ji", "source", "grade"]
    assert len(out._mgr.blocks) == len(out.columns)  # not consolidated: no copy of the joined columns
    assert out.index.equals(pd.RangeIndex(5))
    assert out["de"].tolist() == [2.0, 3.0, 4.0, 5.0, 6.0] and out["ji"].tolist() == [40.0, 39.0, 40.0, 40.0, 39.0]
    assert out.dtypes.to_dict() | {"source": None, "grade": None} == chunk(0, ["甲"], ["乙"]).dtypes.to_dict() | {
        "source": None, "grade": None}
    assert out["source"].tolist() == ["实绩考核", "民主评议", "科室自评", "主任室考评", "实绩考核"]
    assert list(out["source"].cat.categories) == sorted({"实绩考核", "民主评议", "科室自评", "主任室考评"})
    assert out["grade"].astype(object).where(out["grade"].notna(), None).tolist() == [
        "优秀", None, "称职", None, "基本称职"]
    mixed = U._stack([pd.DataFrame({"cell": pd.Categorical(["甲"])}), pd.DataFrame({"cell": pd.Categorical([3])})])
    assert mixed["cell"].tolist() == ["甲", 3] and isinstance(mixed["cell"].dtype, pd.CategoricalDtype)
