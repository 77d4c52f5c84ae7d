"""Projector mode: high contrast, big text, one figure per screen, and
previous/next through a meeting agenda. Switched on by the frame's toggle
or by ``?mode=projector`` in the URL.

Numbers it meets (tests/browser/test_projector_browser.py measures them on
every page): body text >= 20 px and chart text >= 18 px at 1920×1080 (charts
get theirs from ``cadre.charts.style(projector=True)``), no horizontal
scrolling at 1280×720, the sidebar collapsed.
"""
from __future__ import annotations

import html

import streamlit as st

from cadre import i18n
from cadre.ui.context import Context
from cadre.ui.nav import DEFAULT_AGENDA, PAGES

AGENDA_KEY = "agenda"
AGENDA_MEMORY = "_cadre_agenda"
_COLLAPSED_KEY = "_proj_collapsed"

# Text inside the main area at >= 20 px; the sidebar (a control panel, closed
# while presenting) keeps its own sizes. Tables (glide grid on a canvas) get
# bigger rows through their theme variables where Streamlit exposes them.
PROJECTOR_CSS = """
<style>
[data-testid="stAppViewContainer"], [data-testid="stHeader"], [data-testid="stMain"] {
  background: #ffffff !important; color: #000000 !important; }
[data-testid="stMain"] { font-size: 22px; }
[data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMain"] span,
[data-testid="stMain"] label, [data-testid="stMain"] td, [data-testid="stMain"] th,
[data-testid="stMain"] [data-testid="stCaptionContainer"], [data-testid="stMain"] [data-testid="stWidgetLabel"] p,
[data-testid="stMain"] [data-testid="stAlert"] p, [data-testid="stMain"] button p,
[data-testid="stMain"] [data-testid="stMetricLabel"] p, [data-testid="stMain"] [data-testid="stMetricDelta"] div,
[data-testid="stMain"] input, [data-testid="stMain"] textarea,
[data-testid="stMain"] [data-baseweb="select"] div, [data-testid="stMain"] [data-baseweb="tab"] p,
[data-testid="stMain"] [data-testid="stExpander"] summary p, [data-testid="stMain"] code {
  font-size: 22px !important; color: #000 !important; line-height: 1.4; }
[data-testid="stMain"] [data-testid="stCaptionContainer"] { color: #222 !important; }
[data-testid="stMain"] [data-testid="stMetricValue"], [data-testid="stMain"] [data-testid="stMetricValue"] * {
  font-size: 48px !important; color: #000 !important; font-weight: 700; line-height: 1.15; }
[data-testid="stMain"] h1, [data-testid="stMain"] h1 span { font-size: 40px !important; color: #000 !important; }
[data-testid="stMain"] h1 { padding: 0.25rem 0 0 0 !important; }
/* Tables: the grid draws on a canvas at its theme's 14 px, which CSS cannot
   change; zoom scales the drawn table (text ~19 px) and keeps it selectable.
   The grid's own width is Streamlit's guess (at times the whole column, which
   zoomed ran 36 % past the screen): at most the column, zoom included. */
[data-testid="stMain"] [data-testid="stDataFrame"] { zoom: 1.36; max-width: 100%; }
[data-testid="stMain"] [data-testid="stDataFrameResizable"] { width: 100% !important; max-width: 100% !important; }
/* Primary buttons: white on the accent blue (the rule above made them black). */
[data-testid="stMain"] [data-testid="stBaseButton-primary"] p,
[data-testid="stMain"] [data-testid="stBaseButton-primary"] span { color: #fff !important; }
/* Slider values: the bigger text sits above the thumb, not on it. */
[data-testid="stMain"] [data-testid="stSliderThumbValue"] { transform: translateY(-0.6em); white-space: nowrap; }
[data-testid="stMain"] [data-testid="stSlider"] [data-testid="stWidgetLabel"] { margin-bottom: 1.3em; }
/* Labels wrap rather than end in "…" (English words are long: "Basically competent"). */
[data-testid="stMain"] [data-testid="stMetricLabel"], [data-testid="stMain"] [data-testid="stMetricLabel"] *,
[data-testid="stMain"] [data-testid="stWidgetLabel"], [data-testid="stMain"] [data-testid="stWidgetLabel"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
/* Metric labels a step smaller (still >= 20 px) so a long English word fits a narrow column whole. */
[data-testid="stMain"] [data-testid="stMetricLabel"] p { font-size: 20px !important; overflow-wrap: normal; word-break: keep-all; }
/* Pills and segmented choices wrap instead of being clipped or cut short. */
[data-testid="stMain"] [data-testid="stButtonGroup"] > div { flex-wrap: wrap; }
[data-testid="stMain"] [data-testid="stButtonGroup"] button { max-width: none; }
[data-testid="stMain"] [data-testid="stButtonGroup"] button p { white-space: nowrap; overflow: visible;
  text-overflow: clip; }
[data-testid="stMain"] h2, [data-testid="stMain"] h3, [data-testid="stMain"] h2 span, [data-testid="stMain"] h3 span {
  font-size: 32px !important; color: #000 !important; }
[data-testid="stMain"] h4, [data-testid="stMain"] h5, [data-testid="stMain"] h6 { font-size: 26px !important; }
[data-testid="stMain"] [data-testid="stMainBlockContainer"] { max-width: 100%; padding: 3.75rem 2rem 2rem 2rem; }
[data-testid="stMain"], [data-testid="stMainBlockContainer"] { overflow-x: hidden; }
[data-testid="stMain"] [data-testid="stHorizontalBlock"] { flex-wrap: wrap; }
[data-testid="stMain"] [data-testid="stAlert"] { border: 2px solid #000; }
[data-testid="stMain"] .js-plotly-plot, [data-testid="stMain"] .stPlotlyChart { max-width: 100%; }
.cadre-projector-bar { font-size: 26px !important; font-weight: 700; color: #000; border-bottom: 3px solid #000;
  padding-bottom: 6px; display: flex; justify-content: space-between; gap: 1rem; flex-wrap: wrap; }
.cadre-projector-bar span { font-size: 26px !important; }
</style>
"""


# In every mode, not only on the projector: a metric's label wraps (at a
# space; a word longer than its column breaks) instead of ending in "…", and
# pills and segmented choices wrap to a second line instead of being clipped
# by their row ("Rank cha…", a what-if lock pill or "Ranking table" cut at 1440 px).
LABELS_CSS = """
<style>
[data-testid="stMain"] [data-testid="stMetricLabel"], [data-testid="stMain"] [data-testid="stMetricLabel"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  overflow-wrap: break-word; }
[data-testid="stMain"] [data-testid="stButtonGroup"] > div { flex-wrap: wrap; overflow: visible; }
[data-testid="stMain"] [data-testid="stButtonGroup"] button { max-width: none; }
[data-testid="stMain"] [data-testid="stButtonGroup"] button p { white-space: nowrap; overflow: visible;
  text-overflow: clip; }
</style>
"""


def _files() -> dict[str, str]:
    return {p.key: p.file for p in PAGES}


def agenda(ctx: Context | None = None) -> list[str]:
    """The meeting agenda: the page keys previous/next steps through."""
    chosen = st.session_state.get(AGENDA_MEMORY)
    keys = [k for k in (chosen if chosen else DEFAULT_AGENDA) if k in _files()]
    return keys or list(DEFAULT_AGENDA)


def _agenda_changed() -> None:
    st.session_state[AGENDA_MEMORY] = list(st.session_state.get(AGENDA_KEY) or [])


def _agenda_picker(ctx: Context) -> None:
    """A multiselect in the sidebar, kept in the session and in the URL as
    page keys (``?agenda=overview&agenda=sections``). Like the frame, it keeps
    its own memory: widget state does not survive a page switch."""
    options = [p.key for p in PAGES]
    if AGENDA_MEMORY not in st.session_state:
        from_url = [k for k in st.query_params.get_all(AGENDA_KEY) if k in options]
        st.session_state[AGENDA_MEMORY] = from_url or list(DEFAULT_AGENDA)
    st.session_state[AGENDA_KEY] = agenda(ctx)
    chosen = st.sidebar.multiselect(ctx.t("proj.agenda"), options, key=AGENDA_KEY, help=ctx.t("proj.agenda.help"),
                                    format_func=lambda k: ctx.t(f"nav.{k}"), on_change=_agenda_changed,
                                    placeholder=ctx.t("leader.placeholder.agenda"),
                                    select_all=False)  # its "Select all" is English only
    if chosen and chosen != list(DEFAULT_AGENDA):
        if st.query_params.get_all(AGENDA_KEY) != chosen:
            st.query_params[AGENDA_KEY] = chosen
    elif AGENDA_KEY in st.query_params:
        del st.query_params[AGENDA_KEY]


def apply(ctx: Context, current_key: str) -> None:
    """Style the page for the projector and show the header line and
    previous/next through the agenda."""
    st.html(LABELS_CSS)
    if not ctx.projector:
        st.session_state.pop(_COLLAPSED_KEY, None)
        return
    if not st.session_state.get(_COLLAPSED_KEY):
        # Switching to projector mode closes the sidebar (the URL case is
        # handled by app.py's first set_page_config).
        st.set_page_config(initial_sidebar_state="collapsed")
        st.session_state[_COLLAPSED_KEY] = True
    _agenda_picker(ctx)
    st.html(PROJECTOR_CSS)
    period = i18n.format_period(ctx.period, ctx.lang) if ctx.period else ctx.t("frame.no_period")
    scope = ctx.v(ctx.section) if ctx.section else ctx.t("frame.scope.office")
    files = _files()
    steps = agenda(ctx)
    here = steps.index(current_key) if current_key in steps else None
    where = ctx.t("proj.step", i=here + 1, n=len(steps)) if here is not None else ctx.t("proj.not_in_agenda")
    left, mid, right = st.columns([1, 5, 1], vertical_alignment="center")
    # The bar carries the period, the scope and the demo notice, so the page
    # itself skips its scope line and demo banner (widgets.page_header) and
    # its first chart fits on a 1280×720 screen.
    demo = f" · {ctx.t('meeting.demo_tag')}" if ctx.holds_demo else ""
    where_shown = f"{period} · {scope}{demo}" if ctx.scoped else demo.removeprefix(" · ")
    mid.html(f'<div class="cadre-projector-bar" data-testid="cadre-projector-bar">'
             f'<span>{html.escape(where_shown)}</span>'
             f'<span>{html.escape(where)}</span></div>')
    if here is None:
        target_prev, target_next = None, (steps[0] if steps else None)
    else:
        target_prev = steps[here - 1] if here > 0 else None
        target_next = steps[here + 1] if here < len(steps) - 1 else None
    if target_prev and left.button(ctx.t("proj.previous"), key="proj_prev", icon=":material/arrow_back:",
                                   width="stretch"):
        st.switch_page(files[target_prev])
    if target_next and right.button(ctx.t("proj.next"), key="proj_next", icon=":material/arrow_forward:",
                                    width="stretch"):
        st.switch_page(files[target_next])
