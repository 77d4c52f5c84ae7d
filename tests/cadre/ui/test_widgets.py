"""cadre.ui.widgets without a browser: an empty table says so in the page's
words (its own notice, else a caption), never in the grid's English."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from cadre import i18n


def _tables():
    import pandas as pd

    from cadre.access import LOCAL_ADMIN
    from cadre.ui import widgets
    from cadre.ui.context import Context

    ctx = Context(con=None, lang="en", period=None, period_kind=None, section=None, projector=False, mask=False,
                  user=LOCAL_ADMIN, holds_demo=False, data_version="test")
    empty = pd.DataFrame({"section": pd.Series([], dtype=object)})
    widgets.table(ctx, empty, key="with_notice", file_name="x", empty_notice="pipeline.reserve.none")
    widgets.table(ctx, empty, key="plain", file_name="y")


def test_an_empty_table_shows_its_own_notice_else_a_caption():
    at = AppTest.from_function(_tables)
    at.run()
    assert not at.exception
    assert [i.value for i in at.info] == [i18n.t("pipeline.reserve.none", "en")]
    assert [c.value for c in at.caption] == [i18n.t("widgets.table_empty", "en")]
    assert not at.dataframe and not at.get("download_button")
