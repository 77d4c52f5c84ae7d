"""The shared frame: store connection, sidebar (language, period, scope,
projector mode, name masking), and the Context every page reads.

app.py renders the frame once per run; a page run on its own (a test of one
page file) renders it itself, so every page works either way.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from cadre import batches, i18n, store
from cadre.access import User
from cadre.ui.session import current_user

CTX_KEY = "_cadre_ctx"
ROUTED_KEY = "_cadre_routed"


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

    def t(self, key: str, **params) -> str:
        return i18n.t(key, self.lang, **params)

    def v(self, value) -> str:
        """A stored vocabulary value in the UI language."""
        return i18n.value_label(value, self.lang)


@st.cache_resource(show_spinner=False)
def _connection(path: str):
    con = store.connect(path)
    batches.ensure_demo(con)
    return con


def connection():
    """The process's one store connection (pages take a cursor per query)."""
    return _connection(str(store.db_path()))


def data_version(con) -> str:
    row = store.query(con, "frame_data_version").iloc[0]
    return f"{int(row['last_batch'])}.{int(row['undone'])}"


@st.cache_data(show_spinner=False)
def _frame_lists(_con, version: str, leadership_section: str):
    return (store.query(_con, "frame_periods"),
            store.query(_con, "frame_sections", leadership_section=leadership_section)["section"].tolist())


def _lang() -> str:
    value = st.session_state.get("lang", i18n.DEFAULT_LANGUAGE)
    return value if value in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE


def _on_mode_change() -> None:
    # Names are masked by default on the projector.
    st.session_state["mask"] = st.session_state.get("mode") == "projector"


def render() -> Context:
    """Render the sidebar and return this run's Context."""
    con = connection()
    version = data_version(con)
    settings = store.get_settings(con)
    periods, sections = _frame_lists(con, version, settings["leadership_section"])
    sb = st.sidebar
    sb.selectbox(i18n.t("frame.language", _lang()), list(i18n.LANGUAGES), key="lang",
                 format_func=lambda code: i18n.t(f"frame.language.{code}", code),
                 bind="query-params")
    lang = _lang()
    period_options = periods["period"].tolist()
    default_period = _default_period(periods)
    _keep_valid("period", period_options, default_period)
    period = sb.selectbox(i18n.t("frame.period", lang), period_options, key="period",
                          format_func=lambda p: i18n.format_period(p, lang),
                          bind="query-params") if period_options else None
    scope_options = [""] + sections
    _keep_valid("section", scope_options, "")
    section = sb.selectbox(i18n.t("frame.scope", lang), scope_options, key="section",
                           format_func=lambda s: i18n.t("frame.scope.office", lang) if s == "" else i18n.value_label(s, lang),
                           bind="query-params")
    sb.divider()
    _keep_valid("mode", ["standard", "projector"], "standard")
    mode = sb.segmented_control(i18n.t("frame.mode", lang), ["standard", "projector"], key="mode",
                                format_func=lambda m: i18n.t(f"frame.mode.{m}", lang),
                                required=True, bind="query-params", on_change=_on_mode_change)
    if "mask" not in st.session_state:
        st.session_state["mask"] = mode == "projector"
    mask = sb.toggle(i18n.t("frame.mask", lang), key="mask", help=i18n.t("frame.mask.help", lang))
    kind = None
    if period:
        kind = periods.loc[periods["period"] == period, "period_kind"].iloc[0]
    ctx = Context(
        con=con, lang=lang, period=period, period_kind=kind, section=section or None,
        projector=mode == "projector", mask=bool(mask), user=current_user(),
        holds_demo=batches.holds_demo(con), data_version=version, settings=settings,
        periods=periods, sections=sections,
    )
    st.session_state[CTX_KEY] = ctx
    return ctx


def _keep_valid(key: str, options: list, default) -> None:
    """Give a bound widget a valid value before it renders: the session's,
    else the URL's, else ``default`` (data can change under a saved link)."""
    if key in st.session_state:
        if st.session_state[key] not in options and options:
            st.session_state[key] = default
        return
    if st.query_params.get(key) in options:
        return
    if options:
        st.session_state[key] = default


def _default_period(periods: pd.DataFrame) -> str | None:
    """The latest annual period, else the latest period."""
    if not len(periods):
        return None
    annual = periods[periods["period_kind"] == "annual"]
    return (annual if len(annual) else periods)["period"].iloc[0]


def context() -> Context:
    """The Context of this run: from app.py's frame, or rendered here."""
    if st.session_state.get(ROUTED_KEY) and CTX_KEY in st.session_state:
        return st.session_state[CTX_KEY]
    return render()
