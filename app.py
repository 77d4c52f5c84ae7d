"""cadre: the router. Each page opens with ``frame.context()``, which renders
the shared frame (language, period, scope, projector mode, masking) once per
run; logic lives in cadre/."""
import logging
from pathlib import Path

import streamlit as st

from cadre import i18n, serve, store
from cadre.access import can
from cadre.ui import frame
from cadre.ui.nav import PAGES

# The app's log goes to logs/cadre.log in the data folder, rotated (once per process).
serve.setup_logging()
# The tab icon is a file served by the app itself: a ":material/…:" icon is
# fetched by the browser from fonts.gstatic.com, which an intranet cannot reach.
ICON = str(Path(__file__).resolve().parent / "cadre" / "ui" / "assets" / "favicon.png")
# Projector mode keeps the sidebar closed on every page of the agenda. The
# mode is read from the frame's session memory as well as the URL: previous/
# next switch pages without the URL's parameters, and a run that said "auto"
# here opened the sidebar in front of the audience on every step.
st.set_page_config(page_title="cadre", page_icon=ICON, layout="wide",
                   initial_sidebar_state="collapsed" if frame.projector_requested() else "auto")
lang = frame.language()
user = frame.menu_user()  # None: the page will show the sign-in form
groups: dict[str, list] = {}
menu: dict[str, list] = {}
for spec in PAGES:
    # A page the role may not see is left out of the menu but still routed,
    # so that its URL answers with a refusal (the page checks the role itself).
    shown = user is not None and can(user, spec.needs)
    page = st.Page(spec.file, title=i18n.t(f"nav.{spec.key}", lang), icon=spec.icon,
                   url_path=spec.key, default=spec.key == "overview")
    groups.setdefault(i18n.t(spec.group, lang), []).append(page)
    if shown:
        menu.setdefault(i18n.t(spec.group, lang), []).append(page)
# The default page (overview) is served at "/" only. Streamlit's own menu
# is off (client.showSidebarNavigation): before this script's first run it
# listed the pages/ folder's raw file names (app, appraisal, audit, …) for
# seconds on a cold server. The app draws its titled menu itself, from the
# first paint of the sidebar.
current = st.navigation(groups, position="hidden")
if menu:
    with st.sidebar.container(key="cadre_nav"):
        for group, pages in menu.items():
            st.caption(group)
            for page in pages:
                st.page_link(page)
goto = st.query_params.get(frame.GOTO_PARAM)
if goto is not None:
    # Forwarded here from a deep link that bypassed the router (see frame).
    params = frame.all_query_params(without=frame.GOTO_PARAM)
    target = next((spec.file for spec in PAGES if spec.key == goto), None)
    if target and goto != current.url_path:
        st.switch_page(target, query_params=params)
    del st.query_params[frame.GOTO_PARAM]
frame.set_current_page(current.url_path or "overview")
try:
    current.run()
except store.StoreError as exc:  # busy past the wait, or a store that cannot be opened
    logging.getLogger("cadre.app").warning(exc.message("en"))
    frame.store_unavailable(exc)
except Exception:
    logging.getLogger("cadre.app").exception("page %s failed", current.url_path or "overview")
    raise
