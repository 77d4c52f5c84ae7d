"""cadre: the router. Each page opens with ``frame.context()``, which renders
the shared frame (language, period, scope, projector mode, masking) once per
run; logic lives in cadre/."""
import streamlit as st

from cadre import i18n
from cadre.ui import frame
from cadre.ui.nav import PAGES

# The tab icon is a file of our own: a ":material/…:" icon is fetched from
# fonts.gstatic.com, and an office intranet reaches no outside host.
st.set_page_config(page_title="cadre", page_icon=str(frame.ICON), layout="wide",
                   initial_sidebar_state="collapsed" if st.query_params.get("mode") == "projector" else "auto")
lang = frame.language()
groups: dict[str, list] = {}
for spec in PAGES:
    groups.setdefault(i18n.t(spec.group, lang), []).append(
        st.Page(spec.file, title=i18n.t(f"nav.{spec.key}", lang), icon=spec.icon,
                url_path=spec.key, default=spec.key == "overview"))
# The default page (overview) is served at "/" only.
current = st.navigation(groups)
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
