"""Times the workforce projection (cadre.foresight.projection.project) on a
synthetic city: 10,000 people in 500 sections, 10 years, hiring 300 a year,
under the demo's rules and the 2019 preset. Target: under 1 s.

    python bench/bench_projection.py [--people 10000] [--no-write]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from cadre import settings as settings_mod  # noqa: E402
from cadre.foresight import projection as P  # noqa: E402
from cadre.foresight import rules as R  # noqa: E402
from cadre.foresight import service as S  # noqa: E402

OUT = Path(__file__).resolve().parent / "results" / "projection.json"


def city(n: int, ladder_len: int, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    sections = np.array([f"S{i:03d}" for i in range(max(n // 20, 1))], dtype=object)
    sec = sections[rng.integers(0, len(sections), n)]
    births = pd.to_datetime("1960-01-01") + pd.to_timedelta(rng.integers(0, 365 * 38, n), unit="D")
    frame = pd.DataFrame({
        "person_id": [f"P{i:05d}" for i in range(n)], "section": sec,
        "gender": np.where(rng.random(n) < 0.6, "男", "女"), "birth_date": births,
        "education": rng.choice(settings_mod.EDUCATIONS, n), "rank_step": rng.integers(1, ladder_len - 1, n),
        "months_in_rank": rng.integers(0, 80, n).astype(float), "credit_months": 0.0,
        "blocked": rng.random(n) < 0.1, "is_head": False, "is_deputy": False, "reserve": rng.random(n) < 0.05,
        "composite": rng.normal(80, 5, n),
    })
    first = frame.drop_duplicates("section").index
    frame.loc[first, "is_head"] = True
    second = frame.drop(first).drop_duplicates("section").index
    frame.loc[second, "is_deputy"] = True
    return frame


def time_one(settings: dict, people: int) -> tuple[float, float]:
    """(wall, CPU) seconds, medians of 5: on a machine shared with other work
    the process's CPU time is what the projection itself costs."""
    office = S.office(settings)
    frame = city(people, len(settings["ladder"]))
    scenario = P.Scenario(years=10, hire=people // 33, exit_rate=0.02)
    P.project(frame, office, scenario, dt.date(2025, 12, 31))  # warm-up
    wall, cpu = [], []
    for _ in range(5):
        t, c = time.perf_counter(), time.process_time()
        P.project(frame, office, scenario, dt.date(2025, 12, 31))
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return float(np.median(wall)), float(np.median(cpu))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=10000)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    demo = settings_mod.defaults()
    modern = {**demo, **R.preset("rank-2019")}
    result = {"date": dt.date.today().isoformat(),
              "machine": f"{platform.system()} {platform.machine()}, Python {platform.python_version()}, "
                         f"NumPy {np.__version__}, pandas {pd.__version__}",
              "people": args.people, "years": 10, "load_average": round(os.getloadavg()[0], 1)}
    for key, settings in (("demo_rules", demo), ("rank_2019", modern)):
        wall, cpu = time_one(settings, args.people)
        result[f"{key}_s"], result[f"{key}_cpu_s"] = round(wall, 3), round(cpu, 3)
    print(json.dumps(result, ensure_ascii=False))
    if not args.no_write:
        OUT.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n")


if __name__ == "__main__":
    main()
