"""Issue 21.6: a masked chart never shows a person's number in place of a
missing name (for a 任免审批表 person the number is the 身份证号); the
person without a name is labelled empty. Unmasked, the number stands in."""
from __future__ import annotations

import json

import pandas as pd

from cadre.charts import assessment
from cadre.charts import whatif as charts

IDS = ["110101199001011234", "11010119900202567X"]


def _moved() -> pd.DataFrame:
    return pd.DataFrame({"person_id": IDS, "name": ["人员0", None], "baseline_rank": [1, 2], "rank": [2, 1],
                         "rank_change": [-1, 1]})


def test_the_rank_slope_masked_labels_a_nameless_person_empty():
    moved = _moved()
    masked = json.dumps(charts.rank_slope(moved, "zh", mask=True).to_plotly_json(), default=str, ensure_ascii=False)
    assert "人*0" in masked and "1101" not in masked and "567X" not in masked
    assert charts._label(moved, mask=True).tolist() == ["人*0", ""]  # not the number masked (1*…*X)
    assert IDS[1] in json.dumps(charts.rank_slope(moved, "zh").to_plotly_json(), default=str)


def test_the_box_hover_names_never_fall_back_to_the_number_when_masked():
    people = pd.DataFrame({"person_id": IDS, "composite": [80.0, 90.0]})
    assert assessment._names(people, mask=True).tolist() == ["", ""]
    assert assessment._names(people, mask=False).tolist() == IDS
