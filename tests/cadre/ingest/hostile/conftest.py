"""An office's store (the demo files loaded as the office's own data), and a
snapshot of every table to prove a rejected upload changed nothing."""
from __future__ import annotations

import shutil

import pandas as pd
import pytest

from cadre import batches, store

DEMO = store.ROOT / "data" / "demo"


@pytest.fixture(scope="session")
def office_store_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("office") / "office.duckdb"
    con = store.connect(path)
    files = [batches.file_entry(DEMO / f"{n}.csv") for n in ("roster", "assessments", "movements")]
    result = batches.ingest(con, files)
    assert result.ok and result.batch_id, [p.as_dict() for p in result.upload.problems[:3]]
    con.close()
    return path


@pytest.fixture
def office_db(office_store_template, tmp_path):
    path = tmp_path / "office.duckdb"
    shutil.copy(office_store_template, path)
    return path


def snapshot(con) -> dict:
    """Every table of the store: its row count and a hash of its rows."""
    names = store.query(con, "store_tables")["table_name"].tolist()
    out = {}
    for name in names:
        frame = con.table(name).df()
        out[name] = (len(frame), int(pd.util.hash_pandas_object(frame.astype(str), index=False).sum()))
    return out
