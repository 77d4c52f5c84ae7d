"""The what-if weighting lab: scenarios, their effect against the office's
settings, stability of ranks under small weight changes, the bonus link, and
saved scenarios. The service behind pages/whatif.py and ``bash scripts/cadre
whatif``; no Streamlit here.

Modules, one purpose each:

- ``weights``: percentages that sum to 100 and the rescaling of weights;
- ``scenario``: the Scenario, its URL and JSON forms, baseline and presets;
- ``lab``: one period's scores ready for many scenarios (the one evaluation);
- ``results``: the lab's result views (ranks, grades, sections, stability, bonus);
- ``saved``: saved scenarios, and their adoption (access, audit);
- ``report``: the ``whatif`` command's figures.

The names below are re-exported so that ``from cadre import whatif`` and
``whatif.<name>`` keep working; new code imports from the modules.
"""
from cadre.whatif.lab import Lab, Typed, build_lab, load_lab
from cadre.whatif.report import whatif_report
from cadre.whatif.results import (
    BAND_ROWS, DISPLAY_COLUMNS, STABILITY_SAMPLES, STABILITY_SPREAD, VIEWS, bonus, compare, for_display,
    grade_changes, grade_counts, item_label, movers, people, section_shifts, stability, stability_samples,
    summary,
)
from cadre.whatif.saved import (
    NAME_MAX, adopt_scenario, clean_name, delete_scenario, list_scenarios, load_scenario, save_scenario,
)
from cadre.whatif.scenario import (
    FLOOR_KEYS, PERFORMANCE_SHARE, PRESETS, Scenario, baseline, from_query, preset, settings_from,
)
from cadre.whatif.weights import TOTAL, UNITS, normalise_percent, rescale

__all__ = [
    "BAND_ROWS", "DISPLAY_COLUMNS", "FLOOR_KEYS", "NAME_MAX", "PERFORMANCE_SHARE", "PRESETS",
    "STABILITY_SAMPLES", "STABILITY_SPREAD", "TOTAL", "UNITS", "VIEWS", "Lab", "Scenario", "Typed",
    "adopt_scenario", "baseline", "bonus", "build_lab", "clean_name", "compare", "delete_scenario",
    "for_display", "from_query", "grade_changes", "grade_counts", "item_label", "list_scenarios",
    "load_lab", "load_scenario", "movers", "normalise_percent", "people", "preset", "rescale",
    "save_scenario", "section_shifts", "settings_from", "stability", "stability_samples", "summary",
    "whatif_report",
]
