"""Issue 20.17: a freshly started server's first visit showed, for 4–6 s,
Streamlit's own menu of the pages/ folder's raw file names (app, appraisal,
audit, …) beside a blank page, until app.py's first run drew the titled
menu. From the first paint on, the sidebar holds the titled menu or nothing."""
from __future__ import annotations

from pathlib import Path

from cadre import i18n
from cadre.ui.nav import PAGES

from .conftest import wait_idle

RAW_NAMES = {"app"} | {Path(p.file).stem for p in PAGES}

# Installed before the page's own scripts: every change of the document
# records the sidebar's text nodes (joined by |) and whether Streamlit's own menu is there.
WATCH = """
window.__cadreSeen = [];
new MutationObserver(() => {
  const bar = document.querySelector('[data-testid="stSidebar"]');
  const own = document.querySelector('[data-testid="stSidebarNav"]');
  const lines = [];
  if (bar) {  // an icon is a ligature whose text is its name (person, settings): not read
    const walk = document.createTreeWalker(bar, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      if (!n.parentElement.closest('[data-testid="stIconMaterial"]')) lines.push(n.textContent);
    }
  }
  const text = lines.map(l => l.trim()).join('|');
  const last = window.__cadreSeen[window.__cadreSeen.length - 1];
  if ((bar || own) && !(last && last.text === text && last.streamlitMenu === !!own))
    window.__cadreSeen.push({text: text, streamlitMenu: !!own});
}).observe(document, {subtree: true, childList: true, characterData: true});
"""


def test_a_cold_server_never_shows_the_raw_file_names(app_url, page):
    page.add_init_script(WATCH)
    page.goto(app_url)  # the server's very first visit
    page.wait_for_selector('[data-testid="stApp"]')
    page.locator(".st-key-cadre_nav").get_by_role("link", name=i18n.t("nav.person", "zh")).wait_for(timeout=120_000)
    wait_idle(page)
    seen = page.evaluate("window.__cadreSeen")
    assert seen, "the sidebar was never seen"
    assert not [s for s in seen if s["streamlitMenu"]], "Streamlit's own menu of the pages/ folder was shown"
    raw = sorted({line for s in seen for line in s["text"].split("|")} & RAW_NAMES)
    assert not raw, f"raw file names in the sidebar: {raw}"
    menu = page.locator(".st-key-cadre_nav").inner_text()
    assert all(i18n.t(f"nav.{p.key}", "zh") in menu for p in PAGES)  # the demo's local admin sees every page


# Every menu entry's text ends inside the sidebar: a link whose label is
# wider than its box is clipped without an ellipsis ("Succession and recommenda").
CLIPPED_LINKS = """() => [...document.querySelectorAll('.st-key-cadre_nav a')].flatMap(a => {
  const box = a.getBoundingClientRect();
  return [...a.querySelectorAll('*')].filter(el => el.children.length === 0 && el.innerText.trim()
      && !el.closest('[data-testid="stIconMaterial"]')
      && (el.scrollWidth > el.clientWidth + 1 || el.getBoundingClientRect().right > box.right + 1))
    .map(el => el.innerText.trim());
})"""


def test_the_menu_opens_a_page_and_marks_it(app_url, page):
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{app_url}/?lang=en")
    page.wait_for_selector('[data-testid="stApp"]')
    wait_idle(page)
    nav = page.locator(".st-key-cadre_nav")
    nav.get_by_role("link", name=i18n.t("nav.succession", "en")).wait_for()
    assert page.evaluate(CLIPPED_LINKS) == [], "menu entries cut short in English at 1280×720"
    nav.get_by_role("link", name=i18n.t("nav.structure", "en")).click()
    page.get_by_role("heading", name=i18n.t("nav.structure", "en")).first.wait_for(timeout=120_000)
    wait_idle(page)
    assert page.url.split("?")[0].endswith("/structure")
    assert i18n.t("nav.group.cadres", "en") in nav.inner_text()
