"""The shared frame: store connection, sidebar (language, period, scope,
projector mode, name masking), and the Context every page reads (its type
lives in ``cadre.ui.context``).

Every page opens with ``ctx = frame.context()``, which renders the frame for
this run; app.py only routes. A page file run on its own works the same way.
"""
from __future__ import annotations

from urllib.parse import urlparse

import pandas as pd
import streamlit as st

from cadre import batches, i18n, store
from cadre.access import User, can
from cadre.assessment import stored as stored_scores
from cadre.ui import cached, projector, session
from cadre.ui.context import Context

MODES = ("standard", "projector")
PAGE_KEY = "_cadre_page"
MEMORY_KEY = "_cadre_frame"
GOTO_PARAM = "goto"


@st.cache_resource(show_spinner=False)
def _connection(path: str):
    return store.Store(path)


def connection():
    """The process's one store handle (pages take a cursor per query; the
    file is open only while they work, so the command line can share it)."""
    con = _connection(str(store.db_path()))
    if not getattr(con, "demo_checked", False):
        batches.ensure_demo(con)
        with batches.writing():
            stored_scores.ensure(con)  # an upgraded store's scores, written once
        con.demo_checked = True
    return con


def store_unavailable(exc: store.StoreError) -> None:
    """A clear page when the store is busy or cannot be opened; stops the run."""
    lang = language()
    st.error(i18n.t(f"store.page.{'busy' if isinstance(exc, store.StoreBusy) else 'unusable'}", lang),
             icon=":material/database:")
    st.text(exc.message(lang))
    st.stop()


def data_version(con) -> str:
    """Part of every cache key: the store's path and its batch state, so a
    cached result never outlives an upload, an undo, or a change of store."""
    row = store.query(con, "frame_data_version").iloc[0]
    return f"{store.db_path()}#{int(row['last_batch'])}.{int(row['undone'])}"


def set_current_page(key: str) -> None:
    """The router says which page runs (projector mode steps from it)."""
    st.session_state[PAGE_KEY] = key


def all_query_params(without: str | None = None) -> dict:
    """The URL's parameters, repeated ones as lists (``?agenda=a&agenda=b``)."""
    out = {}
    for key in st.query_params:
        if key == without:
            continue
        values = st.query_params.get_all(key)
        out[key] = values if len(values) > 1 else values[0]
    return out


def _enter_router_if_outside() -> None:
    """A deep link opened as a new server's very first request is run by
    Streamlit's old pages/ folder routing, without app.py (no menu of ours,
    no wide layout). Step into the router, which forwards to the page."""
    from streamlit.runtime.pages_manager import PagesManager

    url = st.context.url  # None outside a browser session (AppTest runs pages directly)
    if not PagesManager.uses_pages_directory or not url:
        return
    params = all_query_params()
    params[GOTO_PARAM] = urlparse(url).path.strip("/").split("/")[-1] or "overview"
    st.switch_page("app.py", query_params=params)


def menu_user() -> User | None:
    """The router's question before the page runs: who is signed in (None:
    the sign-in form will show, so the menu stays hidden)."""
    try:
        con = connection()
        return session.resolve(con, store.get_settings(con))
    except store.StoreError:
        return None  # the page itself shows why the store cannot be used


def render(needs: str = "view", scoped: bool = True) -> Context:
    """Render the sidebar and return this run's Context. Without a signed-in
    user the sign-in form shows instead; a user whose role may not do
    ``needs`` (a ``cadre.access`` action) gets a refusal. Either way the run
    stops there. A page that is not ``scoped`` (users, audit log) gets no
    period and scope pickers: the choices stay in the frame's memory for
    the next page that uses them."""
    _enter_router_if_outside()
    try:
        con = connection()
        with con.hold():
            version = data_version(con)
            settings = store.get_settings(con)
            periods, sections = cached.store_lists(con, version, settings["leadership_section"])
            demo = batches.holds_demo(con)
    except store.StoreError as exc:
        store_unavailable(exc)
    user = session.gate(con, settings, language())
    sb = st.sidebar
    memory = _memory(periods, sections)
    lang = memory["lang"]
    sb.selectbox(i18n.t("frame.language", lang), list(i18n.LANGUAGES), **_bound("lang", memory),
                 format_func=lambda code: i18n.t(f"frame.language.{code}", code))
    lang = memory["lang"]
    period_options = periods["period"].tolist()
    if scoped:
        period = sb.selectbox(i18n.t("frame.period", lang), period_options, **_bound("period", memory),
                              format_func=lambda p: i18n.format_period(p, lang)) if period_options else None
        section = sb.selectbox(i18n.t("frame.scope", lang), [""] + sections, **_bound("section", memory),
                               format_func=lambda s: i18n.t("frame.scope.office", lang) if s == "" else i18n.value_label(s, lang))
    else:
        period, section = (memory["period"] if period_options else None), memory["section"]
    sb.divider()
    mode = sb.segmented_control(i18n.t("frame.mode", lang), list(MODES), **_bound("mode", memory),
                                format_func=lambda m: i18n.t(f"frame.mode.{m}", lang), required=True)
    names_allowed = can(user, "see_names")
    if not names_allowed:
        memory["mask"] = True  # viewers always see names masked
    mask = sb.toggle(i18n.t("frame.mask", lang), **_bound("mask", memory), disabled=not names_allowed,
                     help=i18n.t("frame.mask.help" if names_allowed else "auth.mask_forced", lang))
    session.sidebar(con, user, lang, demo)
    _sync_url({"lang": (lang, i18n.DEFAULT_LANGUAGE), "period": (period, _default_period(periods)),
               "section": (section, ""), "mode": (mode, MODES[0]),
               "mask": ("1" if mask else "0", "1" if mode == "projector" else "0")})
    kind = None
    if period:
        kind = periods.loc[periods["period"] == period, "period_kind"].iloc[0]
    ctx = Context(
        con=con, lang=lang, period=period, period_kind=kind, section=section or None,
        projector=mode == "projector", mask=bool(mask) or not names_allowed, user=user,
        holds_demo=demo, data_version=version, settings=settings,
        periods=periods, sections=sections, scoped=scoped,
    )
    if not can(user, needs):
        session.refuse(user, lang)
    projector.apply(ctx, st.session_state.get(PAGE_KEY, "overview"))
    return ctx


def _memory(periods: pd.DataFrame, sections: list) -> dict:
    """The frame's choices for this session: the single source of truth.

    Widget state does not survive a page switch under st.navigation, so the
    frame keeps its own memory, filled from the URL on a session's first run
    (a shared link reproduces the view) and updated by the widgets' callbacks.
    The frame keeps the URL in step itself rather than with ``bind``: a bound
    widget with a ``format_func`` matches the URL against the shown label.
    """
    options = {
        "lang": list(i18n.LANGUAGES),
        "period": periods["period"].tolist(),
        "section": [""] + sections,
        "mode": list(MODES),
    }
    defaults = {"lang": i18n.DEFAULT_LANGUAGE, "period": _default_period(periods), "section": "",
                "mode": MODES[0]}
    memory = st.session_state.setdefault(MEMORY_KEY, {})
    for key, allowed in options.items():
        if memory.get(key) in allowed:
            continue
        url = st.query_params.get(key)
        memory[key] = url if url in allowed else defaults[key]
    if not isinstance(memory.get("mask"), bool):
        memory["mask"] = _url_flag("mask", memory["mode"] == "projector")
    return memory


def _bound(key: str, memory: dict) -> dict:
    """Widget arguments that tie a frame widget to the frame's memory."""
    widget_key = f"frame_{key}"
    st.session_state[widget_key] = memory[key]
    return {"key": widget_key, "on_change": _changed, "args": (key,)}


def _changed(key: str) -> None:
    memory = st.session_state.setdefault(MEMORY_KEY, {})
    value = st.session_state.get(f"frame_{key}")
    if key == "mode":
        value = value or MODES[0]
        memory["mask"] = value == "projector"  # names masked by default on the projector
    memory[key] = value if key != "mask" else bool(value)


def language() -> str:
    """The UI language before the frame renders (for the router's menu)."""
    lang = st.session_state.get(MEMORY_KEY, {}).get("lang") or st.query_params.get("lang")
    return lang if lang in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE


def projector_requested() -> bool:
    """Projector mode before the frame renders: the session's choice, else the URL."""
    mode = st.session_state.get(MEMORY_KEY, {}).get("mode") or st.query_params.get("mode")
    return mode == "projector"


def _url_flag(key: str, default: bool) -> bool:
    value = st.query_params.get(key)
    return default if value not in ("0", "1") else value == "1"


def _sync_url(values: dict) -> None:
    """Write the frame's choices into the URL, leaving defaults out."""
    for key, (value, default) in values.items():
        if value is None or value == default:
            if key in st.query_params:
                del st.query_params[key]
        elif st.query_params.get(key) != value:
            st.query_params[key] = value


def _default_period(periods: pd.DataFrame) -> str | None:
    """The latest annual period, else the latest period."""
    if not len(periods):
        return None
    annual = periods[periods["period_kind"] == "annual"]
    return (annual if len(annual) else periods)["period"].iloc[0]


def context(needs: str = "view", scoped: bool = True) -> Context:
    """Render the frame for this run and return its Context (once per page
    run); ``needs`` is the ``cadre.access`` action the page requires;
    ``scoped=False`` for a page that period and scope mean nothing to."""
    return render(needs, scoped)
