"""Cached results of the structure and pipeline pages (st.cache_data over
cadre.cadre_views / cadre.timeline; the data version is in every key and
the settings page clears the cache on save)."""
from __future__ import annotations

import streamlit as st

from cadre import cadre_views, timeline


@st.cache_data(show_spinner=False, max_entries=32)
def date_options(_con, version: str):
    return cadre_views.date_options(_con)


@st.cache_data(show_spinner=False, max_entries=32)
def span_options(_con, version: str):
    return cadre_views.span_options(_con)


@st.cache_data(show_spinner=False, max_entries=64)
def structure_tables(_con, version: str, date, section, middle_only: bool):
    return cadre_views.structure_tables(_con, date, section, middle_only)


@st.cache_data(show_spinner=False, max_entries=32)
def structure_trend(_con, version: str, section):
    return cadre_views.structure_trend(_con, section)


@st.cache_data(show_spinner=False, max_entries=64)
def funnel(_con, version: str, date):
    return timeline.funnel(_con, date)


@st.cache_data(show_spinner=False, max_entries=64)
def flows(_con, version: str, start, end):
    return timeline.flows(_con, start, end)


@st.cache_data(show_spinner=False, max_entries=32)
def time_in_rank(_con, version: str):
    return timeline.time_in_rank(_con)


@st.cache_data(show_spinner=False, max_entries=64)
def eligibility(_con, version: str, date, section, lang: str):
    return cadre_views.eligibility_table(_con, date, section, lang)


@st.cache_data(show_spinner=False, max_entries=64)
def succession(_con, version: str, date, horizon: float):
    return timeline.succession(_con, date, horizon)


@st.cache_data(show_spinner=False, max_entries=64)
def rotation_due(_con, version: str, date):
    return timeline.rotation_due(_con, date)


@st.cache_data(show_spinner=False, max_entries=64)
def tenure_unknown(_con, version: str, date):
    return timeline.tenure_unknown(_con, date)


@st.cache_data(show_spinner=False, max_entries=64)
def exchange(_con, version: str, start, end):
    return timeline.exchange_matrix(_con, start, end)


@st.cache_data(show_spinner=False, max_entries=32)
def movements_summary(_con, version: str, year: int):
    return timeline.movements_summary(_con, year)
