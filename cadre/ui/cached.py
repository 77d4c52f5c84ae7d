"""The one cached runner of the pages: every service result keyed on the
data version and a hash of the settings it was computed under, the
connection passed as ``_con`` so it is never hashed.

Every service takes the connection and the settings explicitly; ``run``
passes the page's settings (``ctx.settings``) to it, so a saved setting
starts new cache entries by itself (no global cache clear) and an upload
or undo does the same through the data version. The person-state walk of
a date is computed once and shared by the structure and pipeline figures
of that date (``Env.state``).

Scored periods are shared by every assessment page through one
``assessment.Scorer`` cache per (data version, settings): a period scored
for the distribution serves the sections, the overview and the profiles.
That cache is a ``st.cache_resource`` (no copy on each read: the frames are
shared read-only; services only build new frames from them), kept for the
two latest data versions, so an upload or undo starts afresh.

The figures a page draws from a service's result are shared the same way
(``figure``): the same for every session of a data version and settings,
given the page's view (period, section, language, projector, masking).
A result that is large and only read (the what-if lab) is shared as one
object (``shared``) instead of copied on each read as ``run``'s are.

Pages define no cache of their own (``tests/cadre/test_architecture.py``):
every page's cache is one of these, keyed the same way.
"""
from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass

import streamlit as st

from cadre import cadre_views, explain, overview, store, timeline
from cadre.assessment.distribution import distribution
from cadre.assessment.profiles import person_profile
from cadre.assessment.scorer import Scorer
from cadre.assessment.search import search_people
from cadre.assessment.sections import section_comparison
from cadre.appraisal import session as appraisal_session
from cadre.foresight import service as foresight
from cadre.succession import board as succession_board
from cadre.succession import review as succession_review
from cadre.whatif import results as whatif_results
from cadre.whatif.lab import load_lab
from cadre.whatif.scenario import Scenario


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


def scorer(con, settings: dict, data_version: str) -> Scorer:
    """The shared Scorer of this data version and settings."""
    cache = _period_cache(data_version, settings_key(settings))
    return Scorer(con, settings, cache.frames, cache.lock)


@st.cache_resource(show_spinner=False, max_entries=8)
def _state(_con, data_version: str, settings_hash: str, _settings: dict, date):
    """The person-state walk at ``date`` (arrow, shared read-only): computed
    once per data version, settings and date for every structure and
    pipeline figure of that date."""
    return timeline.state_table(_con, _settings, date)


@st.cache_resource(show_spinner=False, max_entries=8)
def _eligibility(_con, data_version: str, settings_hash: str, _settings: dict, date):
    """``timeline.eligibility`` at ``date`` (shared read-only): the board,
    the talent matrix, the comparison and the projection of that date read
    the same rows."""
    return timeline.eligibility(_con, _settings, date, state=_state(_con, data_version, settings_hash, _settings, date))


@st.cache_data(show_spinner=False)
def store_lists(_con, data_version: str, leadership_section: str):
    """The assessment periods (newest first: period, period_kind,
    period_end, assessed) and the compared sections of this data version:
    the frame's pickers, and what the section comparison would otherwise
    read again (a province's periods are a scan of millions of rows)."""
    return (store.query(_con, "frame_periods"),
            store.query(_con, "frame_sections", leadership_section=leadership_section)["section"].tolist())


@dataclass
class Env:
    """What a service runs with: the store, the settings, the shared scorer
    and the shared person state of a date."""
    con: object
    settings: dict
    data_version: str

    @property
    def scorer(self) -> Scorer:
        return scorer(self.con, self.settings, self.data_version)

    def state(self, date):
        return _state(self.con, self.data_version, settings_key(self.settings), self.settings, date)

    def elig(self, date):
        return _eligibility(self.con, self.data_version, settings_key(self.settings), self.settings, date)

    def at(self, date) -> dict:
        """The date's shared state and eligibility, as keyword arguments."""
        return {"state": self.state(date), "elig": self.elig(date)}

    def gap_years(self, date) -> dict:
        """Section -> the first year it runs short, in the five years from
        ``date`` without hires: the projection the succession page shows
        (its cached result, so the board's cache key need not carry it)."""
        key = settings_key(self.settings)
        return _run(self.con, "projection", self.data_version, key, self.settings, (date, ("hire0",), 5))[
            "hire0"].gap_years

    def lists(self):
        return store_lists(self.con, self.data_version, self.settings["leadership_section"])

    def shared(self, name: str, *args):
        return _shared(self.con, name, self.data_version, settings_key(self.settings), self.settings, args)


def _stability(lab, spec_json: str, section):
    return whatif_results.stability(lab, Scenario.from_json(spec_json, lab.settings, lab.kind), section)


# Results shared as one object by every session (read-only, never copied).
SHARED = {
    "whatif_lab": lambda e, period: load_lab(e.con, e.settings, period),
    # a province's comparison holds every person of the period (a 98 MB
    # pickle that a cached copy would write once and read on every run)
    "section_comparison": lambda e, period: section_comparison(e.con, e.settings, period, e.scorer, *e.lists()),
    # read on every run of the succession page (a copy would be unpickled each time); it
    # also depends on the open recommendations: ``picks`` is recommend.version()
    "succession_board": lambda e, date, picks: succession_board.build(e.con, e.settings, date, e.gap_years(date),
                                                                      **e.at(date)),
}


SERVICES = {
    "headline": lambda e, period: overview.headline(e.con, e.settings, period, e.scorer),
    "distribution": lambda e, period, section: distribution(e.con, e.settings, period, section, e.scorer),
    "people": lambda e: search_people(e.con, ""),
    "people_found": lambda e, text: search_people(e.con, text)["person_id"].tolist(),
    "person_profile": lambda e, person_id: person_profile(e.con, e.settings, person_id, scorer=e.scorer),
    "explain_person": lambda e, person_id, p_from, p_to: explain.person_periods(e.con, e.settings, person_id, p_from,
                                                                               p_to, e.scorer),
    "date_options": lambda e: cadre_views.date_options(e.con),
    "span_options": lambda e: cadre_views.span_options(e.con),
    "structure_tables": lambda e, date, section, middle_only: cadre_views.structure_tables(
        e.con, e.settings, date, section, middle_only, state=e.state(date)),
    "structure_trend": lambda e, section: cadre_views.structure_trend(e.con, e.settings, section),
    "funnel": lambda e, date: timeline.funnel(e.con, e.settings, date, state=e.state(date)),
    "flows": lambda e, start, end: timeline.flows(e.con, e.settings, start, end),
    "time_in_rank": lambda e: timeline.time_in_rank(e.con, e.settings),
    "eligibility": lambda e, date, section, lang: cadre_views.eligibility_table(
        e.con, e.settings, date, section, lang, state=e.state(date)),
    "succession": lambda e, date, horizon: timeline.succession(e.con, e.settings, date, horizon,
                                                               state=e.state(date)),
    "rotation_due": lambda e, date: timeline.rotation_due(e.con, e.settings, date, state=e.state(date)),
    "tenure_unknown": lambda e, date: timeline.tenure_unknown(e.con, e.settings, date, state=e.state(date)),
    "exchange": lambda e, start, end: timeline.exchange_matrix(e.con, e.settings, start, end),
    "movements_summary": lambda e, year: timeline.movements_summary(e.con, e.settings, year),
    "appraisal_stability": lambda e, period: appraisal_session.stability_for(e.con, e.settings, period),
    "whatif_stability": lambda e, period, spec_json, section: _stability(e.shared("whatif_lab", period), spec_json,
                                                                         section),
    "projection": lambda e, start, names, years: foresight.compare(e.con, e.settings, start, names, years,
                                                                   **e.at(start)),
    "projection_band": lambda e, start, name, years: foresight.band(e.con, e.settings, start, name, years,
                                                                    **e.at(start)),
    "talent_matrix": lambda e, date, section: succession_review.matrix(e.con, e.settings, date, section,
                                                                       **e.at(date)),
    "candidates": lambda e, date, ids, post_step: succession_review.candidates(e.con, e.settings, date, list(ids),
                                                                              post_step, **e.at(date)),
}


@st.cache_data(show_spinner=False, max_entries=512)
def _run(_con, name: str, data_version: str, settings_hash: str, _settings: dict, args: tuple):
    return SERVICES[name](Env(_con, _settings, data_version), *args)


@st.cache_resource(show_spinner=False, max_entries=8)
def _shared(_con, name: str, data_version: str, settings_hash: str, _settings: dict, args: tuple):
    return SHARED[name](Env(_con, _settings, data_version), *args)


@st.cache_resource(show_spinner=False, max_entries=256)
def _figure(name: str, data_version: str, settings_hash: str, key: tuple, _build):
    return _build()


def figure(ctx, name: str, key: tuple, build):
    """``build()`` (a figure, or anything a page draws from a service's
    result) made once per (name, data version, settings hash, ``key``) and
    shared by every session read-only: ``key`` must hold everything the
    result depends on besides the data and settings (period, section,
    language, projector mode, masking). Building a plotly figure costs more
    than reading the scored period it draws (issue 12)."""
    return _figure(name, ctx.data_version, settings_key(ctx.settings), key, build)


def run(ctx, name: str, *args):
    """``SERVICES[name]`` on the page's store and settings, cached on
    (name, data version, settings hash, args)."""
    return _run(ctx.con, name, ctx.data_version, settings_key(ctx.settings), ctx.settings, args)


def shared(ctx, name: str, *args):
    """``SHARED[name]`` on the page's store and settings: one object per
    (name, data version, settings hash, args), shared by every session and
    only read."""
    return Env(ctx.con, ctx.settings, ctx.data_version).shared(name, *args)
