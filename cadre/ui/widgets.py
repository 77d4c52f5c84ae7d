"""Widgets shared by pages: header, tables and charts with their downloads.

Widget keys are derived from a prefix the calling page owns.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from cadre import display, figures, i18n, masking
from cadre.access import can
from cadre.charts import images
from cadre.export.tables import to_xlsx
from cadre.ui import audited
from cadre.ui.context import Context


def page_header(ctx: Context, title_key: str) -> None:
    """The page title, the scope line (on a scoped page), and the demo-data notice."""
    st.title(ctx.t(title_key))
    if ctx.projector:  # the projector bar shows period, scope and the demo notice
        return
    if not ctx.scoped:  # users, audit log: period and scope mean nothing there
        if ctx.holds_demo:
            st.info(ctx.t("frame.demo_notice"), icon=":material/science:")
        return
    scope = ctx.md(ctx.section) if ctx.section else ctx.t("frame.scope.office")
    period = i18n.format_period(ctx.period, ctx.lang) if ctx.period else ctx.t("frame.no_period")
    st.caption(ctx.t("frame.scope_line", period=period, scope=scope))
    if ctx.holds_demo:
        st.info(ctx.t("frame.demo_notice"), icon=":material/science:")


def notice(ctx: Context, key: str, **params) -> None:
    """A plain message where a page has nothing to show (never a traceback)."""
    st.info(ctx.t(key, **params), icon=":material/info:")


def labelled(ctx: Context, frame: pd.DataFrame, value_columns=()) -> pd.DataFrame:
    """``frame`` for display: figure columns in the registry's format, names
    masked if asked, vocabulary values and column headers in the UI language
    (a figure's header from the registry, else the key ``col.<name>``)."""
    out = masking.apply(figures.table(frame), ctx.mask)
    cat = i18n.catalogue(ctx.lang)
    if ctx.lang != i18n.DEFAULT_LANGUAGE:
        # One dictionary lookup per column (vectorised), not a call per cell.
        words = {k[len("value."):]: v for k, v in cat.items() if k.startswith("value.")}
        for col in value_columns:
            if col in out.columns:
                known = out[col].isin(list(words))
                out[col] = out[col].where(~known, out[col].map(words))
    return out.rename(columns={c: figures.header(c, ctx.lang) or cat.get(f"col.{c}", c) for c in out.columns})


# Rows a table sends to the browser. A longer table shows its first rows (in
# its order) with a line saying so; its download carries every row (issue
# 12: a city's 10,000-row people table was one 1.5 MB websocket message).
TABLE_ROWS = 500


# Columns that make a table a list of people (one row per person).
PERSON_COLUMNS = ("person_id", "name")


def table(ctx: Context, frame: pd.DataFrame, key: str, file_name: str,
          value_columns=(), selectable: bool = False, height="auto", column_config=None,
          max_rows: int | None = TABLE_ROWS, download: bool = True, empty_notice: str | None = None):
    """A sortable table with an XLSX download of every row (``download``
    False: none, where the page offers its own file of the same rows). An
    empty frame shows the ``empty_notice`` catalogue key (else a caption).

    Beyond ``max_rows`` rows (None: no cap) only the first ``max_rows`` are
    shown, said under the table; a selected row's position is the same in
    ``frame``. Returns the selection state when ``selectable`` (single row)."""
    if not len(frame):
        if empty_notice:
            notice(ctx, empty_notice)
        else:  # the grid would say "empty" in English whatever the language
            st.caption(ctx.t("widgets.table_empty"))
        return None
    capped = max_rows is not None and len(frame) > max_rows
    if any(c in frame.columns for c in PERSON_COLUMNS) and not can(ctx.user, "view_person"):
        # A list of people (a person's number or name column) is sent only to
        # a role that may see people: a viewer reads a line saying so, and
        # nothing of the rows reaches the browser. (A row per section that
        # names its head calls the column head_name.)
        st.caption(ctx.t("widgets.people_hidden"))
        return None
    shown = display.clean(labelled(ctx, frame.head(max_rows) if capped else frame, value_columns))
    kwargs = {"on_select": "rerun", "selection_mode": "single-row"} if selectable else {}
    # Figure columns with their fixed decimals (the caller's own config wins).
    config = {h: st.column_config.NumberColumn(format=f) for h, f in figures.column_formats(frame, ctx.lang).items()}
    config.update(column_config or {})
    state = st.dataframe(shown, hide_index=True, placeholder=display.MISSING, key=f"{key}_table", height=height,
                         column_config=config or None, **kwargs)
    if capped:
        st.caption(ctx.t("perf.table_capped", shown=max_rows, total=len(frame)))
    if download and can(ctx.user, "export"):
        whole = (lambda: to_xlsx(display.clean(labelled(ctx, frame, value_columns)))) if capped else (lambda: to_xlsx(shown))
        st.download_button(ctx.t("widgets.download_xlsx"), key=f"{key}_xlsx", icon=":material/download:",
                           data=audited.deferred(ctx, "export", {"file": f"{file_name}.xlsx", "masked": ctx.mask}, whole),
                           file_name=f"{file_name}.xlsx", on_click="ignore",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return state if selectable else None


def lazy_tabs(ctx: Context, keys: list[str], label_prefix: str, key: str) -> dict:
    """Tabs whose content runs only when open: ``{tab key: tab}``, labelled
    ``label_prefix.<tab key>``; draw a tab's content under ``if tab.open``.
    Opening another tab reruns the page. Hidden tabs drawn on every visit
    were most of a second visit's time (bench/README.md); a tab holding a
    form is not made lazy (its unsaved edits would be dropped)."""
    return dict(zip(keys, st.tabs([ctx.t(f"{label_prefix}.{k}") for k in keys], key=key, on_change="rerun")))


def chart(ctx: Context, fig: go.Figure, key: str, file_name: str, on_select: str = "ignore", **kwargs):
    """A plotly chart with a PNG download of the same figure."""
    state = st.plotly_chart(fig, key=f"{key}_chart", on_select=on_select,
                            config={"displaylogo": False, "locale": "zh-CN" if ctx.lang == "zh" else "en"},
                            **kwargs)
    if can(ctx.user, "export"):
        st.download_button(ctx.t("widgets.download_png"), key=f"{key}_png", icon=":material/image:",
                           data=audited.deferred(ctx, "export", {"file": f"{file_name}.png", "masked": ctx.mask},
                                                 lambda: images.to_png(fig)),
                           file_name=f"{file_name}.png", mime="image/png", on_click="ignore")
    return state


def fig(ctx: Context, key: str, value, **params) -> tuple[str, str, str]:
    """A registry figure for ``metric_row`` in the page's language."""
    return figures.metric(key, value, ctx.lang, **params)


def metric_row(items: list[tuple]) -> None:
    """Headline figures in one row of big numbers: (label, value, definition)
    as ``cadre.figures.metric`` gives them, the definition shown on hover; a
    fourth item is a note in grey under the number (e.g. how many are
    unknown), which the number itself must not carry: a long value is cut
    to "10（另 8···" in a narrow column."""
    cols = st.columns(len(items))
    for col, (label, value, definition, *note) in zip(cols, items):
        note = note[0] if note else None
        col.metric(label, value, help=definition, delta=note or None, delta_color="off", delta_arrow="off")
