"""The floor of bench/bench_session.py: a one-chart Streamlit multipage app,
clicked through its sidebar menu the way the leader clicks through cadre's.

Three pages, each one metric and one small plotly chart (ten bars, as
bench/floor_app.py's chart page), routed by ``st.navigation`` with the menu
drawn as ``st.page_link``s in a sidebar container keyed ``cadre_nav``, as
app.py draws its own (the project's .streamlit/config.toml turns
Streamlit's own menu off, so the app and the floor share one click path)."""
import plotly.graph_objects as go
import streamlit as st

KEYS = ["a", "b", "c"]


def _page(shift: int):
    def page():
        st.metric("n", shift)
        st.plotly_chart(go.Figure(go.Bar(x=[f"科室{i}" for i in range(10)],
                                         y=[(i * 7 + shift) % 23 + 70 for i in range(10)])),
                        key=f"floor_chart_{shift}")
    return page


pages = [st.Page(_page(i), title=f"page {key}", url_path=key, default=i == 0) for i, key in enumerate(KEYS)]
current = st.navigation(pages, position="hidden")
with st.sidebar.container(key="cadre_nav"):
    for p in pages:
        st.page_link(p)
current.run()
