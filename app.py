"""cadre: the router. Each page opens with ``frame.context()``, which renders
the shared frame (language, period, scope, projector mode, masking) once per
run; logic lives in cadre/."""
import streamlit as st

from cadre import i18n
from cadre.access import can
from cadre.ui import frame
from cadre.ui.nav import PAGES

st.set_page_config(page_title="cadre", page_icon=":material/groups:", layout="wide",
                   initial_sidebar_state="collapsed" if st.query_params.get("mode") == "projector" else "auto")
lang = frame.language()
user = frame.menu_user()  # None: the page will show the sign-in form
groups: dict[str, list] = {}
for spec in PAGES:
    # A page the role may not see is left out of the menu but still routed,
    # so that its URL answers with a refusal (the page checks the role itself).
    shown = user is not None and can(user, spec.needs)
    groups.setdefault(i18n.t(spec.group, lang), []).append(
        st.Page(spec.file, title=i18n.t(f"nav.{spec.key}", lang), icon=spec.icon,
                url_path=spec.key, default=spec.key == "overview", visibility="visible" if shown else "hidden"))
# The default page (overview) is served at "/" only.
current = st.navigation(groups, position="sidebar" if user is not None else "hidden")
goto = st.query_params.get(frame.GOTO_PARAM)
if goto is not None:
    # Forwarded here from a deep link that bypassed the router (see frame).
    params = frame.all_query_params(without=frame.GOTO_PARAM)
    target = next((spec.file for spec in PAGES if spec.key == goto), None)
    if target and goto != current.url_path:
        st.switch_page(target, query_params=params)
    del st.query_params[frame.GOTO_PARAM]
frame.set_current_page(current.url_path or "overview")
current.run()
