"""The one cached runner of the pages: every service result keyed on the
data version and a hash of the settings it was computed under, the
connection passed as ``_con`` so it is never hashed.

Every service takes the connection and the settings explicitly; ``run``
passes the page's settings (``ctx.settings``) to it, so a saved setting
starts new cache entries by itself (no global cache clear) and an upload
or undo does the same through the data version.

Scored periods are shared by every assessment page through one
``assessment.Scorer`` cache per (data version, settings): a period scored
for the distribution serves the sections, the overview and the profiles.
That cache is a ``st.cache_resource`` (no copy on each read: the frames are
shared read-only; services only build new frames from them), kept for the
two latest data versions, so an upload or undo starts afresh.
"""
from __future__ import annotations

import hashlib
import json
import threading

import streamlit as st

from cadre import assessment, cadre_views, overview, timeline


def settings_key(settings: dict) -> str:
    """A short stable hash of the settings (part of every cache key)."""
    text = json.dumps(settings, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class _PeriodCache:
    """{period: scored frame} for one data version and settings, with a lock
    so concurrent sessions score a period once."""

    def __init__(self):
        self.frames: dict = {}
        self.lock = threading.Lock()


@st.cache_resource(show_spinner=False, max_entries=2)
def _period_cache(data_version: str, settings_hash: str) -> _PeriodCache:
    return _PeriodCache()


def scorer(con, data_version: str, settings: dict) -> assessment.Scorer:
    """The shared Scorer of this data version and settings."""
    cache = _period_cache(data_version, settings_key(settings))
    return assessment.Scorer(con, settings, cache.frames, cache.lock)


# name -> service(con, settings, scorer, *args); the scorer is the shared one
# of the data version and settings (services that score nothing ignore it).
SERVICES = {
    "headline": lambda con, s, sc, period: overview.headline(con, period, sc, s),
    "distribution": lambda con, s, sc, period, section: assessment.distribution(con, s, period, section, sc),
    "section_comparison": lambda con, s, sc, period: assessment.section_comparison(con, s, period, sc),
    "person_profile": lambda con, s, sc, person_id: assessment.person_profile(con, s, person_id, scorer=sc),
    "date_options": lambda con, s, sc: cadre_views.date_options(con),
    "span_options": lambda con, s, sc: cadre_views.span_options(con),
    "structure_tables": lambda con, s, sc, date, section, middle_only: cadre_views.structure_tables(
        con, date, section, middle_only, settings=s),
    "structure_trend": lambda con, s, sc, section: cadre_views.structure_trend(con, section, settings=s),
    "funnel": lambda con, s, sc, date: timeline.funnel(con, date, settings=s),
    "flows": lambda con, s, sc, start, end: timeline.flows(con, start, end, settings=s),
    "time_in_rank": lambda con, s, sc: timeline.time_in_rank(con, settings=s),
    "eligibility": lambda con, s, sc, date, section, lang: cadre_views.eligibility_table(
        con, date, section, lang, settings=s),
    "succession": lambda con, s, sc, date, horizon: timeline.succession(con, date, horizon, settings=s),
    "rotation_due": lambda con, s, sc, date: timeline.rotation_due(con, date, settings=s),
    "exchange": lambda con, s, sc, start, end: timeline.exchange_matrix(con, start, end, settings=s),
    "movements_summary": lambda con, s, sc, year: timeline.movements_summary(con, year, settings=s),
}


@st.cache_data(show_spinner=False, max_entries=512)
def _run(_con, name: str, data_version: str, settings_hash: str, _settings: dict, args: tuple):
    return SERVICES[name](_con, _settings, scorer(_con, data_version, _settings), *args)


def run(ctx, name: str, *args):
    """``SERVICES[name]`` on the page's store and settings, cached on
    (name, data version, settings hash, args)."""
    return _run(ctx.con, name, ctx.data_version, settings_key(ctx.settings), ctx.settings, args)
