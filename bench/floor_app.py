"""The floor of bench/bench_browser.py: the least a Streamlit page can cost
on this machine. Two trivial pages served by their own `streamlit run`
(from the project root, so the project's .streamlit/config.toml applies):
one metric, and one slider whose value is written back."""
import streamlit as st


def metric_page():
    st.metric("n", 1)


def slider_page():
    value = st.slider("x", 0, 100, 50, key="floor_slider")
    st.write(value)


st.navigation([st.Page(metric_page, title="metric", url_path="metric", default=True),
               st.Page(slider_page, title="slider", url_path="slider")]).run()
