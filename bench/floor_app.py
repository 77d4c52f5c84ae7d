"""The floor of bench/bench_browser.py: the least a Streamlit page can cost
on this machine. Trivial pages served by their own `streamlit run` (from the
project root, so the project's .streamlit/config.toml applies): one metric;
one slider whose value is written back; and the same two with one small
plotly chart (ten bars), which tell how much of a page's time is the
browser drawing a chart at all."""
import plotly.graph_objects as go
import streamlit as st


def _bars(shift: int = 0) -> go.Figure:
    return go.Figure(go.Bar(x=[f"科室{i}" for i in range(10)], y=[(i * 7 + shift) % 23 + 70 for i in range(10)]))


def metric_page():
    st.metric("n", 1)


def slider_page():
    value = st.slider("x", 0, 100, 50, key="floor_slider")
    st.write(value)


def chart_page():
    st.metric("n", 1)
    st.plotly_chart(_bars(), key="floor_chart")


def chart_slider_page():
    value = st.slider("x", 0, 100, 50, key="floor_chart_slider")
    st.plotly_chart(_bars(value), key="floor_slider_chart")


st.navigation([st.Page(metric_page, title="metric", url_path="metric", default=True),
               st.Page(slider_page, title="slider", url_path="slider"),
               st.Page(chart_page, title="chart", url_path="chart"),
               st.Page(chart_slider_page, title="chart slider", url_path="chart_slider")]).run()
