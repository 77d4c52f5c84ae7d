"""The what-if lab: one period's scores ready for many scenarios (build once,
evaluate often). ``Lab.evaluate`` is the one evaluation of a scenario, for
the page and the CLI alike."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

import numpy as np
import pandas as pd

from cadre import scoring
from cadre.assessment.runner import load_rows
from cadre.whatif.scenario import Scenario, baseline


@dataclass(frozen=True)
class Typed:
    """Weights (fractions) and quota (share) as typed, standing for a
    scenario whose percentages are rounded to hundredths of a point."""

    dims: Mapping[str, float]
    sources: Mapping[str, float]
    quota: float


@dataclass
class Lab:
    """One period's scores ready for many scenarios (build once, evaluate often)."""

    period: str
    kind: str
    settings: dict = field(repr=False)
    cube: scoring.ScoreCube = field(repr=False)
    names: np.ndarray = field(repr=False)
    section_codes: np.ndarray = field(repr=False)   # index into section_names
    section_names: np.ndarray = field(repr=False)
    base_spec: Scenario = field(repr=False)
    base: scoring.Evaluation = field(repr=False)

    def __len__(self) -> int:
        return len(self.cube)

    def evaluate(self, spec: Scenario, typed: Typed | None = None) -> scoring.Evaluation:
        """Composites, ranks and grades under ``spec``: the one evaluation of
        a scenario, for the page and the CLI.

        ``typed`` (optional): the weights and quota as typed, which the spec's
        percentages stand for rounded to hundredths of a point (the CLI's
        arguments); they are used as they are. Without it, the settings' own
        weights where the scenario keeps them."""
        spec = spec.for_kind(self.kind, self.settings)
        if typed is not None:
            dim_w, src_w, quota = typed.dims, typed.sources, typed.quota
        else:
            dim_w = None if spec.dims == self.base_spec.dims else spec.dim_weights()
            src_w = None if spec.sources == self.base_spec.sources else spec.source_weights()
            quota = spec.quota_share()
        return self.cube.evaluate(dim_w, src_w, quota, spec.floors_dict())

    def scope_mask(self, section: str | None) -> np.ndarray:
        if section is None:
            return np.ones(len(self), dtype=bool)
        return self.sections == section

    @property
    def sections(self) -> np.ndarray:
        return self.cube.sections


def build_lab(rows: pd.DataFrame, settings: dict, period: str) -> Lab | None:
    """A Lab from assessment rows (as ``assessment_rows`` returns); None when
    the period has no rows."""
    rows = rows[rows["period"] == period]
    if rows.empty:
        return None
    cube = scoring.ScoreCube(rows, settings, period=period)
    names = rows.drop_duplicates("person_id").set_index("person_id")["name"] if "name" in rows.columns \
        else pd.Series(dtype=object)
    name_arr = pd.Series(cube.person_ids).map(names).to_numpy(dtype=object)
    codes, uniques = pd.factorize(pd.Series(cube.sections, dtype=object), use_na_sentinel=False)
    base_spec = baseline(settings, cube.period_kind)
    lab = Lab(period=cube.period, kind=cube.period_kind, settings=settings, cube=cube, names=name_arr,
              section_codes=codes, section_names=np.asarray(uniques, dtype=object), base_spec=base_spec,
              base=cube.evaluate())
    return lab


def load_lab(con, settings: dict, period: str) -> Lab | None:
    """The Lab of a stored period (None when it has no data)."""
    rows = load_rows(con, [period])
    return build_lab(rows, settings, period) if len(rows) else None

