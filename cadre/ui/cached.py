"""Cached reads for pages: results keyed by the data version, the
connection passed as ``_con`` so it is never hashed.

Scored periods are shared by every assessment page through one
``assessment.Scorer`` cache per (data version, settings): a period scored
for the distribution serves the sections, the overview and the profiles.
That cache is a ``st.cache_resource`` (no copy on each read: the frames are
shared read-only; services only build new frames from them), kept for the
two latest data versions, so an upload or undo starts afresh.
"""
from __future__ import annotations

import json
import threading

import streamlit as st

from cadre import assessment, overview


def _settings_key(settings: dict) -> str:
    return json.dumps(settings, sort_keys=True, ensure_ascii=False, default=str)


class _PeriodCache:
    """{period: scored frame} for one data version and settings, with a lock
    so concurrent sessions score a period once."""

    def __init__(self):
        self.frames: dict = {}
        self.lock = threading.Lock()


@st.cache_resource(show_spinner=False, max_entries=2)
def _period_cache(data_version: str, settings_key: str) -> _PeriodCache:
    return _PeriodCache()


def scorer(con, data_version: str, settings: dict) -> assessment.Scorer:
    """The shared Scorer of this data version and settings."""
    cache = _period_cache(data_version, _settings_key(settings))
    return assessment.Scorer(con, settings, cache.frames, cache.lock)


@st.cache_data(show_spinner=False, max_entries=64)
def headline(_con, period: str, data_version: str, settings: dict | None = None) -> dict | None:
    """overview.headline through the shared scorer (``settings``: the store's,
    as the frame read them; None reads them)."""
    if settings is None:
        from cadre import store
        settings = store.get_settings(_con)
    return overview.headline(_con, period, scorer(_con, data_version, settings))


@st.cache_data(show_spinner=False, max_entries=32)
def distribution(_con, data_version: str, settings: dict, period: str, section: str | None):
    return assessment.distribution(_con, settings, period, section, scorer(_con, data_version, settings))


@st.cache_data(show_spinner=False, max_entries=32)
def section_comparison(_con, data_version: str, settings: dict, period: str):
    return assessment.section_comparison(_con, settings, period, scorer(_con, data_version, settings))


@st.cache_data(show_spinner=False, max_entries=64)
def person_profile(_con, data_version: str, settings: dict, person_id: str):
    return assessment.person_profile(_con, settings, person_id, scorer=scorer(_con, data_version, settings))
