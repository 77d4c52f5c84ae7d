"""Shared rows and scenarios of the what-if tests."""
from __future__ import annotations

import numpy as np
import pandas as pd

from cadre.whatif.scenario import Scenario


def row(pid, source, de, neng, qin, ji, section, name, period="1999"):
    return {"person_id": pid, "name": name, "period": period, "period_kind": "annual",
            "period_end": pd.Timestamp(f"{period}-12-31"), "source": source, "de": de, "neng": neng,
            "qin": qin, "ji": ji, "max_de": np.nan, "max_neng": np.nan, "max_qin": np.nan,
            "max_ji": np.nan, "grade": None, "section": section}


def custom(lab, quota=50.0, pool=1000.0):
    """德 and 绩 weighted equally, 能 and 勤 not at all."""
    return Scenario(dims=(50.0, 0.0, 0.0, 50.0), sources=lab.base_spec.sources, quota=quota,
                           floors=(85.0, 70.0, 60.0), kind="annual", pool=pool, coefs=(1.2, 1.0, 0.5, 0.0))
