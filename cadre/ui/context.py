"""The Context every page reads: what a page needs to know about this run
(store, language, period, scope, projector, masking, user, settings).

Its own module so that the frame, which builds it, and the helpers that take
it (projector, widgets, uploads, ...) need not import one another."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from cadre import i18n
from cadre.access import User, can
from cadre.display import md_text


@dataclass(frozen=True)
class Context:
    """What a page needs to know about this run."""
    con: object = field(repr=False)
    lang: str
    period: str | None
    period_kind: str | None
    section: str | None          # None: the whole office
    projector: bool
    mask: bool
    user: User
    holds_demo: bool
    data_version: str
    settings: dict = field(repr=False, default_factory=dict)
    periods: pd.DataFrame = field(repr=False, default=None)
    sections: list = field(default_factory=list)
    scoped: bool = True          # False: the page ignores period and scope (no pickers, no scope line)

    @property
    def sees_people(self) -> bool:
        """May this user see a person's row, point or line? (A viewer sees
        figures of groups only: no list of people, no per-person mark on a
        chart, issue 21.)"""
        return can(self.user, "view_person")

    def t(self, key: str, **params) -> str:
        return i18n.t(key, self.lang, **params)

    def v(self, value) -> str:
        """A stored vocabulary value in the UI language."""
        return i18n.value_label(value, self.lang)

    def md(self, value) -> str:
        """A stored value as ``v`` gives it, made literal for a widget that
        renders Markdown (titles, captions, alerts, metric labels)."""
        return md_text(self.v(value))
