"""What the page sweeps share: opening a page and waiting until it has
settled, and the checks several sweeps make on the page they opened. A page
is opened once per language, mode and size, and every check of that
combination is made on that one load (test_projector_browser at 1920×1080
and 1280×720 in Chinese, test_projector_cut_browser in English,
test_offline_browser in the standard mode)."""
from __future__ import annotations

from cadre.ui.nav import DEFAULT_AGENDA, PAGES

# The pages whose labels the projector must not cut short (issue 10.2, 10.11).
AGENDA_AND_LAB = [*DEFAULT_AGENDA, "whatif"]


def open_settled(page, url: str, key: str, query: str = "mode=projector") -> None:
    """Open page ``key`` with ``query`` and wait until its run has ended and
    every chart is drawn."""
    path = "" if key == PAGES[0].key else key  # the default page is served at "/" only
    page.goto(f"{url}/{path}?{query}")
    page.wait_for_selector('[data-testid="stApp"]')
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=90_000)
    if "mode=projector" in query:
        # A page may run twice on opening (a deep link forwarded through the
        # router, a page writing its state to the URL): wait for the run that
        # shows the projector bar, and for it to finish.
        page.wait_for_selector('[data-testid="cadre-projector-bar"]', timeout=90_000)
        page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=90_000)
        page.wait_for_function("() => !document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=60_000, polling=100)
    # plotly draws after the script run: wait until every chart has its SVG
    page.wait_for_function("""() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
        .every(c => c.querySelector('.main-svg'))""", timeout=60_000, polling=100)


# Issue 10, items 2 and 11: on the projector nothing is cut short. The text
# of each element that ends in "…" or hides what overflows it, and each
# slider whose value sits on its label.
CUT_SHORT = """() => {
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


# Issue 20.18: on the projector at 1280×720 the first chart comes first, the
# figures under it, and the chart with its axis labels fits the screen (the
# sections chart's names fell below the fold, and the overview's grade names;
# the distribution, structure and pipeline charts started under ~440 px of
# figures). The pages and languages checked, and the measurement.
FIRST_CHARTS = [("zh", "sections"), ("en", "sections"), ("zh", "overview"), ("zh", "distribution"),
                ("en", "distribution"), ("zh", "structure"), ("en", "structure"), ("zh", "pipeline"),
                ("en", "pipeline"), ("zh", "projection"), ("en", "projection")]

FOLD = """() => {
  const chart = document.querySelector('[data-testid="stMain"] [data-testid="stPlotlyChart"]');
  const labels = [...chart.querySelectorAll('.xtick text, .ytick text')];
  return {bottom: Math.max(...labels.map(e => e.getBoundingClientRect().bottom)), n: labels.length,
          scrolled: document.querySelector('[data-testid="stMain"]').scrollTop, height: window.innerHeight};
}"""


def below_the_fold(page, key: str) -> str | None:
    """What is wrong with the first chart of the open page at 1280×720, or None."""
    fold = page.evaluate(FOLD)
    if not fold["n"]:
        return f"{key}: the first chart has no axis labels"
    if fold["scrolled"]:
        return f"{key}: the page opened scrolled by {fold['scrolled']} px"
    if fold["bottom"] > fold["height"]:
        return f"{key}: the first chart's names end at {fold['bottom']:.0f} px of {fold['height']}"
    return None
