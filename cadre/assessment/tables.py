"""Assessment frames shaped as display tables (columns under their header
keys; figures are formatted by the page through ``cadre.figures``)."""
from __future__ import annotations

import pandas as pd

from cadre import i18n


def people_table(people: pd.DataFrame) -> pd.DataFrame:
    """Scored people as a table: office rank, id, name, section, section rank,
    composite, computed and official grade (figures formatted by the page
    through ``cadre.figures``)."""
    out = people.rename(columns={"rank": "office_rank", "grade": "official_grade"})
    return (out[["office_rank", "person_id", "name", "section", "section_rank", "composite",
                        "computed_grade", "official_grade"]])


def grade_table(grades: pd.DataFrame) -> pd.DataFrame:
    """Grade counts as a table: grade, computed, official."""
    return grades.rename(columns={"computed": "computed_grade", "official": "official_grade"})


def section_table(stats: pd.DataFrame) -> pd.DataFrame:
    """Section statistics for display."""
    out = stats.rename(columns={"n": "assessed", "ci_low": "mean_ci_low", "ci_high": "mean_ci_high",
                                         "small": "small_n"})
    return out[["section", "assessed", "mean", "mean_ci_low", "mean_ci_high", "median", "std", "iqr", "range",
                "egalitarian", "small_n"]]


def person_periods_table(history: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A person's periods as a table: period, section, composite, ranks as
    'r / n' in the office and the section, computed and official grade."""
    out = pd.DataFrame({
        "period": [i18n.format_period(p, lang) for p in history["period"]],
        "section": history["section"],
        "composite": history["composite"],
        "office_rank": history["rank"].astype(str) + " / " + history["n_office"].astype(str),
        "section_rank": history["section_rank"].astype(str) + " / " + history["n_section"].astype(str),
        "computed_grade": history["computed_grade"],
        "official_grade": history["grade"],
    })
    return out.iloc[::-1].reset_index(drop=True)
