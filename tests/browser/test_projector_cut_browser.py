"""Issue 10, items 2 and 11: on the projector nothing is cut short. English
labels are long ("Basically competent", "Bachelor or above", "Previous"):
they wrap instead of ending in "…" or being clipped, on every page of the
agenda and in the what-if lab (slider values, lock pills), at 1280×720 and
1920×1080, in English and Chinese."""
from __future__ import annotations

import pytest

from cadre.ui.nav import DEFAULT_AGENDA

from .conftest import screenshot
from .test_projector_browser import _open

CUT = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const out = [];
  for (const el of main.querySelectorAll('p, span, div, label, button')) {
    if (el.closest('.js-plotly-plot, [data-testid="stDataFrame"], [data-testid="stSidebar"], [data-baseweb="select"]')) continue;
    const text = (el.innerText || '').trim();
    const r = el.getBoundingClientRect();
    if (!text || r.width === 0 || r.height === 0) continue;
    const s = getComputedStyle(el);
    // ends in "…", or is a text box that hides what overflows it
    const clips = s.textOverflow === 'ellipsis' || (s.overflowX !== 'visible' && el.children.length === 0);
    if (clips && el.scrollWidth > el.clientWidth + 1) out.push(text.slice(0, 30));
  }
  // A slider's value must not sit on its label or thumb.
  for (const box of main.querySelectorAll('[data-testid="stSlider"]')) {
    const value = box.querySelector('[data-testid="stSliderThumbValue"]');
    const label = box.querySelector('[data-testid="stWidgetLabel"]');
    if (!value || !label) continue;
    const v = value.getBoundingClientRect(), l = label.getBoundingClientRect();
    if (v.top < l.bottom - 1) out.push('slider value on its label: ' + label.innerText.trim());
  }
  return out;
}"""


@pytest.mark.parametrize("lang,width,height", [("en", 1280, 720), ("en", 1920, 1080), ("zh", 1920, 1080)])
def test_nothing_cut_short_on_the_projector(module_app_url, browser, lang, width, height):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(60_000)
    problems = []
    try:
        for key in [*DEFAULT_AGENDA, "whatif"]:
            _open(page, module_app_url, key, f"mode=projector&lang={lang}")
            screenshot(page, f"cut-{lang}-{width}-{key}")
            cut = page.evaluate(CUT)
            if cut:
                problems.append(f"{key}: {cut[:6]}")
        assert not problems, "\n".join(problems)
    finally:
        context.close()
