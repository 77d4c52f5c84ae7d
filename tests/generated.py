"""A generated office (the demo generator at another size) as an upload."""
from __future__ import annotations

from pathlib import Path

from cadre import batches, demo


def generated_files(folder: Path, people: int, years: int, seed: int) -> list[tuple[str, bytes]]:
    """The generator's CSV files (roster, assessments, movements) written into
    ``folder``, as the (name, bytes) entries an upload hands to ``batches.ingest``."""
    paths = demo.write_files(folder, people=people, years=years, seed=seed)
    return [batches.file_entry(p) for p in paths if p.suffix == ".csv"]
