"""Issue 10, items 2 and 11: on the projector nothing is cut short. English
labels are long ("Basically competent", "Bachelor or above", "Previous"):
they wrap instead of ending in "…" or being clipped, on every page of the
agenda and in the what-if lab (slider values, lock pills), at 1280×720 and
1920×1080. Chinese at 1920×1080 is checked by test_projector_browser's
text-size sweep, which opens the same pages. At 1280×720 the same loads
check that the agenda's first charts fit the screen with their names
(issue 20.18, English; Chinese in test_projector_browser)."""
from __future__ import annotations

import pytest

from .conftest import screenshot
from .sweep import AGENDA_AND_LAB, CUT_SHORT, FIRST_CHARTS, below_the_fold, open_settled


@pytest.mark.parametrize("lang,width,height", [("en", 1280, 720), ("en", 1920, 1080)])
def test_nothing_cut_short_on_the_projector(module_app_url, browser, lang, width, height):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(60_000)
    problems = []
    try:
        for key in AGENDA_AND_LAB:
            open_settled(page, module_app_url, key, f"mode=projector&lang={lang}")
            screenshot(page, f"cut-{lang}-{width}-{key}")
            cut = page.evaluate(CUT_SHORT)
            if cut:
                problems.append(f"{key}: {cut[:6]}")
            if width == 1280 and (lang, key) in FIRST_CHARTS:
                fold = below_the_fold(page, key)
                if fold:
                    problems.append(fold)
        assert not problems, "\n".join(problems)
    finally:
        context.close()
