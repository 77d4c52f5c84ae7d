"""cadre: the router and shared frame. Pages live in pages/, logic in cadre/."""
import streamlit as st

from cadre import i18n
from cadre.ui import frame, projector
from cadre.ui.nav import PAGES

st.set_page_config(page_title="cadre", page_icon=":material/groups:", layout="wide",
                   initial_sidebar_state="collapsed" if st.query_params.get("mode") == "projector" else "auto")
st.session_state[frame.ROUTED_KEY] = True
ctx = frame.render()

groups: dict[str, list] = {}
for spec in PAGES:
    groups.setdefault(i18n.t(spec.group, ctx.lang), []).append(
        st.Page(spec.file, title=i18n.t(f"nav.{spec.key}", ctx.lang), icon=spec.icon,
                url_path=spec.key, default=spec.key == "overview"))
current = st.navigation(groups)
projector.apply(ctx, current.url_path)
current.run()
