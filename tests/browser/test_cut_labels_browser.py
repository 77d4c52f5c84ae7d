"""Issue 20.15: at 1440×900, outside the projector too, nothing is cut.
English metric labels ended in "…" ("Rank cha…", "Basically …" on the
what-if lab, "Promotions (by t…" on the overview), the lab's lock pills and
its "Ranking table" choice were clipped by their row, and in Chinese the
source lock pills hid 科室自评. Metric labels wrap, pills wrap to a second
line: each label's text fits its box, each choice lies inside its group."""
from __future__ import annotations

import pytest

from .conftest import screenshot
from .sweep import AGENDA_AND_LAB, FIRST_CHARTS, below_the_fold, open_settled

CUT = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const out = [];
  for (const box of main.querySelectorAll('[data-testid="stMetricLabel"]')) {
    for (const el of [box, ...box.querySelectorAll('*')]) {
      if (el.closest('[data-testid="stTooltipIcon"]')) continue;
      if (el.scrollWidth > el.clientWidth + 1) { out.push('metric label: ' + box.innerText.trim()); break; }
    }
  }
  for (const group of main.querySelectorAll('[data-testid="stButtonGroup"]')) {
    const g = group.getBoundingClientRect();
    for (const b of group.querySelectorAll('button')) {
      const r = b.getBoundingClientRect();
      if (r.width === 0) continue;
      if (r.right > g.right + 1 || r.left < g.left - 1 || b.scrollWidth > b.clientWidth + 1)
        out.push('choice: ' + b.innerText.trim());
    }
  }
  return out;
}"""

SETTLED = """() => !document.querySelector('[data-testid="stSkeleton"]')
  && document.querySelector('[data-testid="stApp"][data-test-script-state="notRunning"]')
  && document.querySelector('[data-testid="stMain"] [data-testid="stMetricLabel"]')"""

PAGES = [("en", "whatif"), ("zh", "whatif"), ("en", "overview"), ("en", "distribution"), ("en", "structure"),
         ("en", "pipeline")]


@pytest.mark.parametrize("lang,key", PAGES, ids=[f"{lang}-{key}" for lang, key in PAGES])
def test_metric_labels_and_choices_are_not_cut_at_1440(module_app_url, browser, lang, key):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        open_settled(page, module_app_url, key, f"lang={lang}")
        page.wait_for_function(SETTLED, timeout=60_000, polling=100)
        screenshot(page, f"labels-{lang}-1440-{key}")
        cut = page.evaluate(CUT)
        assert not cut, f"{key} ({lang}): {cut}"
    finally:
        context.close()


# The first charts at 1280×720 (issue 20.18) that no other sweep opens: the
# Chinese pages are checked by test_projector_browser, the English agenda
# by test_projector_cut_browser, on the loads they make anyway.
OTHER_FIRST_CHARTS = [(lang, key) for lang, key in FIRST_CHARTS if lang == "en" and key not in AGENDA_AND_LAB]


@pytest.mark.parametrize("lang,key", OTHER_FIRST_CHARTS, ids=[f"{lang}-{key}" for lang, key in OTHER_FIRST_CHARTS])
def test_the_first_chart_fits_the_projector_screen_with_its_names(module_app_url, browser, lang, key):
    """Issue 20.18 (see tests/browser/sweep.py, FIRST_CHARTS)."""
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        open_settled(page, module_app_url, key, f"mode=projector&lang={lang}")
        screenshot(page, f"fold-{lang}-1280-{key}")
        problem = below_the_fold(page, key)
        assert problem is None, problem
    finally:
        context.close()
