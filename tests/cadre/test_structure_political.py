"""queries/structure_political.sql: every listed status (zeros included) in
the list's order, then the others and the not given (null), counting only
the people in office."""
from __future__ import annotations

import duckdb
import pandas as pd

from cadre import store


def test_listed_statuses_then_others_and_unknown():
    con = duckdb.connect()
    con.execute("create table person_state as select * from (values ('中共党员', true), (null, true), "
                "('其他', true), ('其他', true), ('群众', false), (null, false)) t(political_status, in_office)")
    got = store.query(con, "structure_political", statuses=["中共党员", "共青团员", "民主党派", "群众"])
    want = pd.DataFrame({"political_status": ["中共党员", "共青团员", "民主党派", "群众", "其他", None],
                         "status_order": [1, 2, 3, 4, 1000, 1000], "n": [1, 0, 0, 0, 2, 1]})
    assert got["political_status"].tolist()[:5] == want["political_status"].tolist()[:5]
    assert pd.isna(got["political_status"].iloc[5])
    assert got["status_order"].tolist() == want["status_order"].tolist()
    assert got["n"].tolist() == want["n"].tolist()
    assert str(got["status_order"].dtype) == "int64" and str(got["n"].dtype) == "int64"


def test_timeline_plain_values():
    """timeline._py (the JSON-safe scalar of the structure figures): missing
    is None, numpy scalars are plain, other values pass."""
    import numpy as np

    from cadre.timeline import _py

    assert [_py(v) for v in (None, np.nan, pd.NaT, pd.NA, float("nan"))] == [None] * 5
    assert _py(np.int64(3)) == 3 and type(_py(np.int64(3))) is int
    assert _py(np.float64(2.5)) == 2.5 and _py("党员") == "党员" and _py([1, None]) == [1, None]
