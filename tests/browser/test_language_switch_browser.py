"""Issue 20.16: after switching to English the review pack's period picker
still read 「2001年度」: a keyed select box keeps showing the text of its
value in the language it was chosen in, unless its value is set again."""
from __future__ import annotations

from cadre import i18n

from .conftest import open_page, wait_idle


def test_the_pack_period_follows_a_language_switch(app_url, page):
    open_page(page, app_url)
    picker = page.locator(".st-key-pack_period input")
    picker.wait_for()
    period = picker.input_value()
    assert period.endswith("年度"), period           # the overview's pack, in Chinese
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name="English").click()
    wait_idle(page)
    page.get_by_text(i18n.t("pack.button.period", "en")).wait_for()
    assert picker.input_value() == period.removesuffix("年度")
