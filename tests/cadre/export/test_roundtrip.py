"""Every dataset downloads as XLSX and as CSV (UTF-8 with BOM) and loads
back into an empty store unchanged."""
from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from cadre import batches, store
from cadre.export import datasets
from tests.cadre.ingest import lrmx_samples as L

TRICKY = ("编号,姓名,性别,出生日期,学历,科室,职级,后备干部\n"
          "Z01,=HYPERLINK(\"x\"),男,1970-01-01,大学本科,综合科,科员,是\n").encode("utf-8")


@pytest.fixture
def full_store(demo_con):
    """The demo office, then 任免审批表 people (grade-only rows, photos) and a
    name that starts like a formula."""
    res = batches.ingest(demo_con, L.office_files(), accept_derived=True)
    assert res.ok, [p.message() for p in res.upload.problems]
    res = batches.ingest(demo_con, [("tricky.csv", TRICKY)])
    assert res.ok, [p.message() for p in res.upload.problems]
    return demo_con


def _tables(con) -> dict:
    out = {}
    for ds in datasets.DATASETS:
        df = datasets.stored(con, ds)
        if ds == "movements":  # seq is upload order: compare the order, not the numbers
            df = df.sort_values(["person_id", "date", "seq"]).drop(columns=["seq"])
        out[ds] = df.reset_index(drop=True)
    return out


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_every_dataset_loads_back_unchanged(full_store, tmp_path, fmt):
    before = _tables(full_store)
    assert (before["assessments"]["de"].isna()).sum() > 0  # grade-only rows are in
    files = [(f"{ds}.{fmt}", datasets.download(full_store, ds, fmt)) for ds in datasets.DATASETS]
    con = store.connect(tmp_path / "empty.duckdb")
    res = batches.ingest(con, files)
    assert res.ok, [p.message() for p in res.upload.problems[:5]]
    after = _tables(con)
    for ds in datasets.DATASETS:
        pd.testing.assert_frame_equal(after[ds], before[ds], check_dtype=False, obj=ds)


def test_downloads_are_excel_ready(full_store):
    raw = datasets.download(full_store, "roster", "csv")
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("编号,姓名,性别,出生日期,学历")
    assert '"\t=HYPERLINK(""x"")"' in text  # a formula-like name is led by a tab
    wb = openpyxl.load_workbook(io.BytesIO(datasets.download(full_store, "roster", "xlsx")))
    ws = wb.active
    assert ws.title == "人员名册" and ws["A1"].value == "编号"
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "Z01")
    assert row[1].value == '=HYPERLINK("x")' and row[1].data_type == "s" and row[1].quotePrefix
    assert row[3].number_format == "yyyy-mm-dd"
    for ds in datasets.DATASETS:
        body = datasets.download(full_store, ds, "csv").decode("utf-8-sig")
        for bad in ("None", "nan", "NaT"):
            assert f",{bad}," not in body and f",{bad}\r" not in body
