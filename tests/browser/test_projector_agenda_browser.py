"""Issue 10, items 1 and 2: the whole default agenda on a 1280×720 projector.

From ``/?mode=projector`` the test presses 下一页 through every step and on
each checks what the audience sees: the sidebar stays closed, no text under
18 px outside the sidebar (tables and chart text included), no horizontal
scrolling, no metric cut short ("84···"), and the page's first chart starts
on the first screen."""
from __future__ import annotations

from cadre.ui.nav import DEFAULT_AGENDA

from .conftest import screenshot, wait_idle

WIDTH, HEIGHT = 1280, 720
MIN_PX = 18.0

CHECK = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const visible = el => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
  // Text drawn by the page (not by the sidebar, icons or tooltips).
  const skip = el => el.closest('[data-testid="stSidebar"], [data-testid="stIconMaterial"], [data-testid="stTooltipIcon"],'
      + ' [role="tooltip"], [data-testid="stDataFrame"], style, script, [data-testid="stToolbar"], [data-testid="stHeader"],'
      + ' [data-testid="stElementToolbar"]');
  const small = [];
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement; const text = n.textContent.trim();
    if (!text || !el || skip(el) || !visible(el)) continue;
    if (el.closest('svg') && !el.closest('.js-plotly-plot')) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < 18) small.push({text: text.slice(0, 30), size});
  }
  // Tables: the grid draws on a canvas with the font its theme gives it,
  // scaled by the CSS zoom on the table.
  for (const df of main.querySelectorAll('[data-testid="stDataFrame"]')) {
    if (!visible(df)) continue;
    const holder = df.querySelector('[style*="--gdg-base-font-style"]');
    const base = holder ? parseFloat(holder.style.getPropertyValue('--gdg-base-font-style').match(/(\\d+(\\.\\d+)?)px/)[1]) : 14;
    let zoom = 1; for (let e = holder || df; e; e = e.parentElement) zoom *= parseFloat(getComputedStyle(e).zoom || '1');
    if (base * zoom < 18) small.push({text: 'table', size: base * zoom});
  }
  const cut = [...main.querySelectorAll('[data-testid="stMetricValue"] div, [data-testid="stMetricValue"]')]
      .filter(el => visible(el) && el.scrollWidth > el.clientWidth + 1).map(el => el.textContent.trim());
  const wide = [document.documentElement, document.body, main, main.querySelector('[data-testid="stMainBlockContainer"]')]
      .filter(el => el && el.scrollWidth > el.clientWidth + 1).map(el => el.dataset?.testid || el.tagName);
  const charts = [...main.querySelectorAll('[data-testid="stPlotlyChart"]')].filter(visible);
  const chartTop = charts.length ? charts[0].getBoundingClientRect().top + window.scrollY : null;
  const sidebar = document.querySelector('[data-testid="stSidebar"]');
  // Open: on screen and wider than a sliver (collapsed, it is moved off to the left).
  const shown = sidebar ? sidebar.getBoundingClientRect() : null;
  return {small, cut, wide, chartTop, sidebarOpen: !!shown && shown.right > 20 && shown.width > 20};
}"""


def _settled(page, step: int) -> None:
    page.wait_for_function(
        "(s) => { const b = document.querySelector('[data-testid=\"cadre-projector-bar\"]');"
        " return b && b.innerText.includes(s); }", arg=f"{step}/{len(DEFAULT_AGENDA)}", timeout=90_000, polling=100)
    wait_idle(page)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=60_000, polling=100)
    page.wait_for_function("""() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
        .every(c => c.querySelector('.main-svg'))""", timeout=60_000, polling=100)
    # the sidebar may be sliding: wait until its edge holds still over a few frames
    page.wait_for_function("""() => new Promise(done => {
        const edge = () => { const s = document.querySelector('[data-testid="stSidebar"]');
                             return s ? Math.round(s.getBoundingClientRect().right) : 0; };
        const first = edge();
        requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(
            () => done(edge() === first))));
    })""", polling=100)


def test_the_default_agenda_on_a_1280_projector(module_app_url, browser):
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(60_000)
    problems = []
    try:
        page.goto(f"{module_app_url}/?mode=projector")
        for i, key in enumerate(DEFAULT_AGENDA, start=1):
            if i > 1:
                page.get_by_role("button", name="下一页").click()
            _settled(page, i)
            page.evaluate("() => window.scrollTo(0, 0)")
            screenshot(page, f"agenda-1280-{i}-{key}")
            found = page.evaluate(CHECK)
            if found["sidebarOpen"]:
                problems.append(f"{key}: the sidebar is open")
            if found["small"]:
                problems.append(f"{key}: text under {MIN_PX}px: {found['small'][:6]}")
            if found["wide"]:
                problems.append(f"{key}: horizontal scrolling in {found['wide']}")
            if found["cut"]:
                problems.append(f"{key}: metrics cut short: {found['cut']}")
            if found["chartTop"] is None or found["chartTop"] >= HEIGHT:
                problems.append(f"{key}: the first chart starts at {found['chartTop']} px, below the {HEIGHT} px screen")
        assert not problems, "\n".join(problems)
    finally:
        context.close()
