"""Fixtures of the assessment tests: the small office's store."""
from __future__ import annotations

from contextlib import closing
from pathlib import Path

import pytest

from cadre import batches, store
from tests.cadre.assessment.helpers import small_files


@pytest.fixture
def small_db(tmp_path) -> Path:
    path = tmp_path / "small.duckdb"
    con = store.connect(path)
    result = batches.ingest(con, small_files())
    assert result.ok, [p.as_dict("en") for p in result.upload.problems]
    con.close()
    return path


@pytest.fixture
def small(small_db):
    with closing(store.connect(small_db)) as con:
        yield con
