"""Assessment analytics: distributions, section comparisons, person profiles
and the ``report`` command's figures.

The service layer between the store and the pages / CLI / exports: it loads
periods' rows through named queries (``queries/assessment_*.sql``), computes
every figure through ``cadre.scoring`` (the one scoring module) and shapes
the results. No Streamlit here; pages cache these results themselves.

Modules, one purpose each:

- ``runner``: the reads (periods, compared sections, rows, through ``store.frame``);
- ``scorer``: scored periods and their per-period cache (``Scorer``);
- ``stats``: the t quantile and a Series' summary;
- ``distribution``: a period's distribution in one scope;
- ``sections``: the compared sections side by side, turn-taking;
- ``profiles``: a person's record over time;
- ``search``: people search;
- ``tables``: frames shaped as display tables;
- ``report``: the ``report`` command's figures.

The names below are re-exported so that ``from cadre import assessment`` and
``assessment.<name>`` keep working; new code imports from the modules.
"""
from cadre.assessment.distribution import Distribution, dimension_long, distribution, grade_bands, previous_period
from cadre.assessment.profiles import PersonProfile, person_profile
from cadre.assessment.report import period_report
from cadre.assessment.runner import compared_sections, list_periods, load_rows
from cadre.assessment.scorer import PCT_COLUMNS, Scorer, score_periods
from cadre.assessment.search import search_people
from cadre.assessment.sections import (
    CHART_ALL, CHART_SECTIONS, DIRECTORS, PEER, PERFORMANCE, SELF, TREND_QUARTERS, SectionComparison,
    chart_sections, only_sections, section_comparison, source_gaps,
)
from cadre.assessment.stats import t975
from cadre.assessment.tables import grade_table, people_table, person_periods_table, section_table

__all__ = [
    "CHART_ALL", "CHART_SECTIONS", "DIRECTORS", "PCT_COLUMNS", "PEER", "PERFORMANCE", "SELF",
    "TREND_QUARTERS", "Distribution", "PersonProfile", "Scorer", "SectionComparison", "chart_sections",
    "compared_sections", "dimension_long", "distribution", "grade_bands", "grade_table",
    "list_periods", "load_rows", "only_sections", "people_table", "period_report", "person_periods_table",
    "person_profile", "previous_period", "score_periods", "search_people", "section_comparison",
    "section_table", "source_gaps", "t975",
]
