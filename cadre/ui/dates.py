"""The structure and pipeline pages' date and span pickers.

Dates offered: the data's reference date (default, never the clock) and the
end of each earlier year; spans: whole years, default the latest full year.
"""
from __future__ import annotations

import datetime as dt

import streamlit as st

from cadre import i18n
from cadre.ui import cached, widgets
from cadre.ui.context import Context


def page_dates(ctx: Context, nav_key: str) -> list[dt.date]:
    """The header of a page at a date and the dates it offers (latest
    first). Stops the run with a notice when the store has no dated data."""
    widgets.page_header(ctx, nav_key)
    options = cached.run(ctx, "date_options")
    if not options:
        widgets.notice(ctx, "structure.no_data")
        st.stop()
    return options


def dated_page(ctx: Context, nav_key: str, date_key: str):
    """The top of a page at a date (structure, pipeline): its header, then
    the date picker left of a wider column the page fills. Stops the run with
    a notice when the store has no dated data. Returns (date, right column)."""
    options = page_dates(ctx, nav_key)
    left, right = st.columns([1, 2], vertical_alignment="bottom")
    return date_picker(ctx, date_key, options, container=left), right


def date_picker(ctx: Context, key: str, options: list[dt.date], container=st) -> dt.date | None:
    """A date among ``options`` (first is the default)."""
    if not options:
        return None
    values = [d.isoformat() for d in options]
    if key in st.session_state and st.session_state[key] not in values:
        del st.session_state[key]  # data changed under the saved choice
    chosen = container.selectbox(
        ctx.t("structure.date"), values, key=key, index=0,
        format_func=lambda v: _date_label(ctx, v, values[0]), help=ctx.t("structure.date.help"))
    return dt.date.fromisoformat(chosen)


def _date_label(ctx: Context, value: str, latest: str) -> str:
    text = i18n.format_date(dt.date.fromisoformat(value), ctx.lang)
    return ctx.t("structure.date.latest", date=text) if value == latest else text


def span_picker(ctx: Context, key: str, years: list[int], default: int | None,
                container=st) -> tuple[int, int] | None:
    """A span of whole years (start, end); default the latest full year."""
    if not years:
        return None
    if len(years) == 1:
        return years[0], years[0]
    value = st.session_state.get(key)
    if value is not None and not all(v in years for v in value):
        del st.session_state[key]
    lo, hi = container.select_slider(ctx.t("structure.span"), options=years, value=(default, default),
                                     key=key, help=ctx.t("structure.span.help"))
    return int(lo), int(hi)
