"""Ingest of a generated city's files against a plain pandas read of the
same files, each in its own process so that its peak memory (max RSS from
``resource.getrusage``) is its own.

- **pandas**: ``pd.read_csv`` of every CSV (UTF-8 with BOM, else GB18030,
  as the generator writes them; the floor: bytes into frames, no checks);
- **ingest**: ``cadre.batches.ingest`` of the same files into a new store on
  disk (read, validate, land one batch), as the upload and
  ``bash scripts/cadre ingest`` do. The generated office is landed as the demo
  (``is_demo=True``: it is the demo generator's, so the app opens it without
  sign-in), and the store is kept for ``bench/bench_browser.py --scale city``.

    python bench/bench_ingest.py [--people 10000 --years 10] [--files DIR] [--no-write]

The files are generated once (``bash scripts/cadre demo --out DIR``) and reused.
Results: ``bench/results/ingest.json``.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CACHE = Path(tempfile.gettempdir()) / "cadre_bench_city"
RESULTS = ROOT / "bench" / "results" / "ingest.json"


def _child_pandas(files: list[str]) -> dict:
    import pandas as pd
    t0 = time.perf_counter()
    rows = {}
    for f in files:
        try:  # the generator writes some files UTF-8 with a BOM and some GBK, as offices do
            rows[Path(f).name] = len(pd.read_csv(f, encoding="utf-8-sig"))
        except UnicodeDecodeError:
            rows[Path(f).name] = len(pd.read_csv(f, encoding="gb18030"))
    return {"s": round(time.perf_counter() - t0, 2), "rows": rows}


def _child_ingest(files: list[str], db: str) -> dict:
    from cadre import batches, store
    t0 = time.perf_counter()
    entries = [batches.file_entry(Path(f)) for f in files]
    con = store.connect(Path(db))
    phases = []  # (seconds since start, the phase the ingest reports reaching)
    result = batches.ingest(con, entries, is_demo=True,
                            progress=lambda _f, key: phases.append((round(time.perf_counter() - t0, 2), key)))
    con.close()
    if not result.ok:
        return {"error": [p.as_dict("en") for p in result.upload.problems[:5]]}
    return {"s": round(time.perf_counter() - t0, 2), "rows": result.loaded, "phases": phases}


def _measure(kind: str, files: list[Path], db: Path | None = None) -> dict:
    """Run one side in a fresh interpreter; its time, rows and peak RSS."""
    cmd = [sys.executable, __file__, "--child", kind, *map(str, files)] + (["--db", str(db)] if db else [])
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if out.returncode:
        raise SystemExit(f"{kind} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--people", type=int, default=10_000)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--files", type=Path, help="a folder of generated CSVs (default: generate into the cache)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    ap.add_argument("paths", nargs="*", help=argparse.SUPPRESS)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)
    if args.child:
        res = _child_pandas(args.paths) if args.child == "pandas" else _child_ingest(args.paths, args.db)
        res["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        print(json.dumps(res))
        return 0
    base = CACHE if (args.people, args.years) == (10_000, 10) else CACHE.with_name(
        f"cadre_bench_p{args.people}_y{args.years}")
    files_dir = args.files or base / "files"
    if not files_dir.is_dir() or not list(files_dir.glob("*.csv")):
        print(f"generating {args.people} people × {args.years} years into {files_dir}", flush=True)
        subprocess.run([sys.executable, "-m", "cadre", "demo", "--out", str(files_dir),
                        "--people", str(args.people), "--years", str(args.years)], cwd=ROOT, check=True)
    files = sorted(files_dir.glob("*.csv"))
    rec = {"date": dt.datetime.now().isoformat(timespec="seconds"), "people": args.people, "years": args.years,
           "files": {f.name: f.stat().st_size for f in files},
           "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
           "load_before": round(os.getloadavg()[0], 1)}
    rec["pandas"] = _measure("pandas", files)
    print("pandas", rec["pandas"], flush=True)
    base.mkdir(parents=True, exist_ok=True)
    tmp_db = base / "store.tmp.duckdb"
    tmp_db.unlink(missing_ok=True)
    rec["ingest"] = _measure("ingest", files, tmp_db)
    print("ingest", rec["ingest"], flush=True)
    if "error" in rec["ingest"]:
        raise SystemExit(f"the generated office does not load: {rec['ingest']['error']}")
    shutil.move(tmp_db, base / "store.duckdb")
    rec["ratio"] = round(rec["ingest"]["s"] / rec["pandas"]["s"], 1)
    rec["load_after"] = round(os.getloadavg()[0], 1)
    print(f"ingest / pandas = {rec['ratio']}×; peak {rec['ingest']['peak_rss_mb']} MB "
          f"(pandas {rec['pandas']['peak_rss_mb']} MB); store {base / 'store.duckdb'}")
    if not args.no_write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(rec, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
